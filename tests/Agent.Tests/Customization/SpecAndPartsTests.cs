using Imprint.Agent.Customization.Edits;
using Imprint.Agent.Customization.Network;
using Imprint.Agent.Customization.Passwords;
using Imprint.Agent.Customization.Spec;
using Imprint.Agent.Customization.Ssh;
using Imprint.Agent.Errors;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Customization;

public sealed class SpecAndPartsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Yaml_and_json_specs_load_to_the_same_shape()
    {
        var yaml = CustomizationSpecLoader.Parse("hostname: web-01\nnetwork:\n  interfaces:\n    - name: eth0\n      addresses: [10.0.0.5/24]\n      gateway4: 10.0.0.1\nfirstBootCommands: [\"echo hi\"]\n");
        var json = CustomizationSpecLoader.Parse("{\"hostname\":\"web-01\",\"network\":{\"interfaces\":[{\"name\":\"eth0\",\"addresses\":[\"10.0.0.5/24\"],\"gateway4\":\"10.0.0.1\"}]},\"firstBootCommands\":[\"echo hi\"]}");

        Assert.Equal(yaml.Hostname, json.Hostname);
        Assert.Equal(yaml.Network!.Interfaces![0].Addresses, json.Network!.Interfaces![0].Addresses);
        Assert.Equal(yaml.FirstBootCommands, json.FirstBootCommands);
    }

    [Fact]
    public void Unknown_fields_are_rejected_in_both_formats()
    {
        Assert.Equal(ExitCode.Usage, Assert.Throws<ImprintException>(() => CustomizationSpecLoader.Parse("hostnme: x\n")).Code);
        Assert.Equal(ExitCode.Usage, Assert.Throws<ImprintException>(() => CustomizationSpecLoader.Parse("{\"hostnme\":\"x\"}")).Code);
    }

    [Fact]
    public void Validation_reports_every_problem_with_its_field_path()
    {
        var spec = CustomizationSpecLoader.Parse("""
            hostname: Bad_Host
            dns:
              nameservers: [10.0.0.300]
            sshHostKeys: Sometimes
            timezone: "Mars/../Olympus"
            network:
              interfaces:
                - name: eth0
                  addresses: [10.0.0.5/24, 10.0.0.300/24]
                  macAddress: zz:zz
            files:
              - path: relative/path
                content: a
                base64: YQ==
            """);

        var errors = CustomizationSpecValidator.Errors(spec);

        Assert.Contains(errors, e => e.StartsWith("hostname:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("dns.nameservers[0]:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("sshHostKeys:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("timezone:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("network.interfaces[0].addresses[1]:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("network.interfaces[0].macAddress:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("files[0].path:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("files[0]: give exactly one", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("web-01", true)]
    [InlineData("web-01.example.com", true)]
    [InlineData("a", true)]
    [InlineData("-web", false)]
    [InlineData("web-", false)]
    [InlineData("Web01", false)]
    [InlineData("web_01", false)]
    [InlineData("", false)]
    public void Hostnames_follow_rfc_1123_lowercase(string name, bool valid) =>
        Assert.Equal(valid, CustomizationSpecValidator.HostnameProblem(name) is null);

    [Fact]
    public void Debian_hosts_line_is_replaced_and_the_marked_block_is_idempotent()
    {
        const string hosts = "127.0.0.1\tlocalhost\n127.0.1.1\tgolden\n\n::1\tlocalhost\n";
        var entries = new List<HostEntrySpec> { new() { Ip = "10.0.0.10", Hostnames = ["db.internal", "db"] } };

        var once = HostsFile.WithEntries(HostsFile.WithDebianHostname(hosts, "web-01.example.com"), entries);
        var twice = HostsFile.WithEntries(HostsFile.WithDebianHostname(once, "web-01.example.com"), entries);

        Assert.Equal("127.0.0.1\tlocalhost\n127.0.1.1\tweb-01.example.com web-01\n\n::1\tlocalhost\n# BEGIN imprint\n10.0.0.10\tdb.internal db\n# END imprint\n", once);
        Assert.Equal(once, twice);
    }

    [Fact]
    public void Shadow_edit_sets_the_hash_and_keeps_other_lines_byte_for_byte()
    {
        const string shadow = "root:*:19000:0:99999:7:::\n# comment\ndebian:!:19000:0:99999:7:::\n";

        var updated = ShadowFile.WithPassword(shadow, "root", "$6$salt$hash", DateTimeOffset.FromUnixTimeSeconds(86400 * 20000));
        var locked = ShadowFile.WithLocked(ShadowFile.WithLocked(updated, "root"), "root");

        Assert.Equal("root:$6$salt$hash:20000:0:99999:7:::\n# comment\ndebian:!:19000:0:99999:7:::\n", updated);
        Assert.Equal("root:!$6$salt$hash:20000:0:99999:7:::\n# comment\ndebian:!:19000:0:99999:7:::\n", locked);
        Assert.Equal(ExitCode.Usage, Assert.Throws<ImprintException>(() => ShadowFile.WithLocked(shadow, "nobody")).Code);
    }

    [Fact]
    public async Task Generated_host_keys_have_fingerprints_equal_to_ssh_keygen_l()
    {
        var keys = await SshHostKeyGenerator.GenerateAsync(["ed25519", "ecdsa"], "root@test", CancellationToken.None);

        foreach (var key in keys)
        {
            var pub = _temp.File($"{key.Type}.pub");
            await File.WriteAllTextAsync(pub, key.PublicKeyLine + "\n");
            var oracle = Sh.Run("ssh-keygen", "-lf", pub).Split(' ')[1];
            Assert.Equal(oracle, key.Fingerprint);
            Assert.StartsWith("-----BEGIN OPENSSH PRIVATE KEY-----", System.Text.Encoding.ASCII.GetString(key.PrivateKey), StringComparison.Ordinal);
            Assert.EndsWith("root@test", key.PublicKeyLine, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.GetDirectories("/dev/shm", "imprint-hostkeys-*"));
    }

    [Fact]
    public void Host_key_types_come_from_the_guest_file_names()
    {
        Assert.Equal(["ecdsa", "ed25519"], SshHostKeyGenerator.TypesFrom(["/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_ed25519_key.pub", "/etc/ssh/ssh_host_ecdsa_key", "/etc/ssh/ssh_host_dsa_key"]));
        Assert.Equal(["ecdsa", "ed25519", "rsa"], SshHostKeyGenerator.TypesFrom([]));
    }

    [Fact]
    public void Authorized_keys_merge_without_duplicates_and_reject_garbage()
    {
        const string key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl demo@imprint";

        var merged = AuthorizedKeys.Merge("# existing\n", [key, key]);

        Assert.Equal("# existing\n" + key + "\n", merged);
        Assert.Equal(merged, AuthorizedKeys.Merge(merged, [key]));
        Assert.True(AuthorizedKeys.IsValidLine(key));
        Assert.False(AuthorizedKeys.IsValidLine("ssh-ed25519 bm90IGEga2V5"));
        Assert.False(AuthorizedKeys.IsValidLine("hello world"));
    }

    [Fact]
    public void Network_renders_each_style_exactly()
    {
        var nic = new NetworkInterfaceSpec
        {
            Name = "eth0",
            Addresses = ["10.0.0.5/24", "fd00::5/64"],
            Gateway4 = "10.0.0.1",
            Gateway6 = "fd00::1",
            Nameservers = ["10.0.0.2"],
            SearchDomains = ["internal"],
        };
        var spec = new NetworkSpec { Interfaces = [nic] };

        Assert.Equal(
            "# Written by imprint.\nauto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet static\n    address 10.0.0.5/24\n    gateway 10.0.0.1\n    dns-nameservers 10.0.0.2\n    dns-search internal\niface eth0 inet6 static\n    address fd00::5/64\n    gateway fd00::1\n",
            NetworkRenderer.Render(NetworkStyle.Ifupdown, spec).Single().Content);
        Assert.Equal(
            "# Written by imprint.\nnetwork:\n  version: 2\n  ethernets:\n    eth0:\n      dhcp4: false\n      dhcp6: false\n      addresses:\n        - \"10.0.0.5/24\"\n        - \"fd00::5/64\"\n      routes:\n        - to: default\n          via: \"10.0.0.1\"\n        - to: \"::/0\"\n          via: \"fd00::1\"\n      nameservers:\n        addresses: [\"10.0.0.2\"]\n        search: [internal]\n",
            NetworkRenderer.Render(NetworkStyle.Netplan, spec).Single().Content);
        Assert.Equal(
            "# Written by imprint.\n[Match]\nName=eth0\n\n[Network]\nAddress=10.0.0.5/24\nAddress=fd00::5/64\nGateway=10.0.0.1\nGateway=fd00::1\nDNS=10.0.0.2\nDomains=internal\n",
            NetworkRenderer.Render(NetworkStyle.SystemdNetworkd, spec).Single().Content);
        Assert.Equal(
            "# Written by imprint.\nDEVICE=eth0\nTYPE=Ethernet\nONBOOT=yes\nBOOTPROTO=none\nIPADDR=10.0.0.5\nPREFIX=24\nGATEWAY=10.0.0.1\nIPV6INIT=yes\nIPV6ADDR=fd00::5/64\nIPV6_DEFAULTGW=fd00::1\nDNS1=10.0.0.2\nDOMAIN=\"internal\"\n",
            NetworkRenderer.Render(NetworkStyle.Ifcfg, spec).Single().Content);
        var keyfile = NetworkRenderer.Render(NetworkStyle.NetworkManager, spec).Single();
        Assert.Equal("/etc/NetworkManager/system-connections/imprint-eth0.nmconnection", keyfile.Path);
        Assert.Equal(0b110_000_000, keyfile.Mode);
        Assert.Contains("[ipv4]\nmethod=manual\naddress1=10.0.0.5/24,10.0.0.1\ndns=10.0.0.2;\ndns-search=internal;\n", keyfile.Content, StringComparison.Ordinal);
        Assert.Equal(keyfile.Content, NetworkRenderer.Render(NetworkStyle.NetworkManager, spec).Single().Content);
    }

    [Fact]
    public void Dhcp_with_mac_match_renders_for_netplan_and_networkd()
    {
        var spec = new NetworkSpec { Interfaces = [new NetworkInterfaceSpec { Name = "ens3", MacAddress = "52:54:00:AA:BB:CC", Dhcp4 = true }] };

        Assert.Contains("      match:\n        macaddress: \"52:54:00:aa:bb:cc\"\n      set-name: ens3\n      dhcp4: true\n", NetworkRenderer.Render(NetworkStyle.Netplan, spec).Single().Content, StringComparison.Ordinal);
        Assert.Equal("# Written by imprint.\n[Match]\nMACAddress=52:54:00:aa:bb:cc\n\n[Network]\nDHCP=ipv4\n", NetworkRenderer.Render(NetworkStyle.SystemdNetworkd, spec).Single().Content);
    }

    [Fact]
    public void Resolved_stub_guests_get_a_drop_in_instead_of_resolv_conf()
    {
        var dns = new DnsSpec { Nameservers = ["10.0.0.2", "1.1.1.1"], Searches = ["internal"] };

        var stub = DnsFiles.Render(dns, resolvConfIsResolvedStub: true);
        var plain = DnsFiles.Render(dns, resolvConfIsResolvedStub: false);

        Assert.Equal(("/etc/systemd/resolved.conf.d/90-imprint.conf", "# Written by imprint.\n[Resolve]\nDNS=10.0.0.2 1.1.1.1\nDomains=internal\n"), (stub.Path, stub.Content));
        Assert.Equal(("/etc/resolv.conf", "# Written by imprint.\nnameserver 10.0.0.2\nnameserver 1.1.1.1\nsearch internal\n"), (plain.Path, plain.Content));
    }

    [Fact]
    public void Machine_ids_are_32_hex_and_unique() =>
        Assert.Matches("^[0-9a-f]{32}$", MachineIds.NewId());
}
