using System.Security.Cryptography;
using Imprint.Agent.Customization;
using Imprint.Agent.Customization.Spec;
using Imprint.Agent.Errors;
using Imprint.Agent.Guest;
using Imprint.Agent.Inspection;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Customization;

public sealed class CustomizerTests : IDisposable
{
    private const string Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl demo@imprint";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Debian_guest_gets_hostname_hosts_dns_password_keys_timezone_network_and_host_keys()
    {
        var (image, offset) = Build(GuestFlavors.Debian);
        await File.WriteAllTextAsync(_temp.File("pw"), "s3cret\n");
        var spec = CustomizationSpecLoader.Parse($$"""
            hostname: web-01
            hosts: [{ ip: 10.0.0.10, hostnames: [db.internal] }]
            dns: { nameservers: [10.0.0.2], searches: [internal] }
            rootPassword: { file: pw }
            users: [{ name: debian, sshAuthorizedKeys: ["{{Key}}"] }]
            timezone: Europe/Berlin
            network: { interfaces: [{ name: eth0, addresses: [10.0.0.5/24], gateway4: 10.0.0.1 }] }
            files: [{ path: /etc/motd, content: "welcome\n", mode: "0640", owner: "debian:debian" }]
            firstBootCommands: ["touch /var/lib/first-boot-ran"]
            """);

        var (result, _) = await GuestCustomization.RunAsync(image, spec, new CustomizeOptions { BaseDirectory = _temp.Path }, CancellationToken.None);

        Sh.AssertFsckClean(image, offset);
        Assert.Equal("web-01\n", Cat(image, offset, "/etc/hostname"));
        Assert.Equal("127.0.0.1\tlocalhost\n127.0.1.1\tweb-01\n\n::1\tlocalhost ip6-localhost ip6-loopback\n# BEGIN imprint\n10.0.0.10\tdb.internal\n# END imprint\n", Cat(image, offset, "/etc/hosts"));
        Assert.Equal("# Written by imprint.\nnameserver 10.0.0.2\nsearch internal\n", Cat(image, offset, "/etc/resolv.conf"));
        var shadowRoot = Cat(image, offset, "/etc/shadow").Split('\n')[0].Split(':')[1];
        var salt = shadowRoot.Split('$')[2];
        Assert.Equal(Sh.RunResult("openssl", ["passwd", "-6", "-salt", salt, "-stdin"], stdin: "s3cret\n").StandardOutput.Trim(), shadowRoot);
        Assert.Contains("Mode:  0640", Sh.DebugfsStat(image, offset, "/etc/shadow"), StringComparison.Ordinal);
        Assert.Equal(Key + "\n", Cat(image, offset, "/home/debian/.ssh/authorized_keys"));
        AssertStat(image, offset, "/home/debian/.ssh", "0700", 1000, 1000);
        AssertStat(image, offset, "/home/debian/.ssh/authorized_keys", "0600", 1000, 1000);
        Assert.Contains("Fast link dest: \"/usr/share/zoneinfo/Europe/Berlin\"", Sh.DebugfsStat(image, offset, "/etc/localtime"), StringComparison.Ordinal);
        Assert.Equal("Europe/Berlin\n", Cat(image, offset, "/etc/timezone"));
        Assert.Contains("iface eth0 inet static\n    address 10.0.0.5/24\n    gateway 10.0.0.1\n", Cat(image, offset, "/etc/network/interfaces"), StringComparison.Ordinal);
        Assert.Equal("welcome\n", Cat(image, offset, "/etc/motd"));
        AssertStat(image, offset, "/etc/motd", "0640", 1000, 1000);
        Assert.Contains("touch /var/lib/first-boot-ran", Cat(image, offset, "/usr/local/lib/imprint/firstboot.sh"), StringComparison.Ordinal);
        Assert.Contains("Fast link dest: \"/etc/systemd/system/imprint-firstboot.service\"", Sh.DebugfsStat(image, offset, "/etc/systemd/system/multi-user.target.wants/imprint-firstboot.service"), StringComparison.Ordinal);
        Assert.Equal(result.MachineId + "\n", Cat(image, offset, "/etc/machine-id"));
        Assert.Equal(["ed25519", "rsa"], result.HostKeys.Select(k => k.Type)); // the types the image had
        foreach (var key in result.HostKeys)
        {
            var pub = Cat(image, offset, $"/etc/ssh/ssh_host_{key.Type}_key.pub");
            Assert.Equal(key.PublicKey + "\n", pub);
            await File.WriteAllTextAsync(_temp.File("k.pub"), pub);
            Assert.Equal(key.Fingerprint, Sh.Run("ssh-keygen", "-lf", _temp.File("k.pub")).Split(' ')[1]);
            AssertStat(image, offset, $"/etc/ssh/ssh_host_{key.Type}_key", "0600", 0, 0);
            AssertStat(image, offset, $"/etc/ssh/ssh_host_{key.Type}_key.pub", "0644", 0, 0);
        }
    }

    [Fact]
    public async Task Same_spec_twice_changes_nothing_when_keys_and_machine_id_are_kept()
    {
        var (image, offset) = Build(GuestFlavors.Debian);
        await File.WriteAllTextAsync(_temp.File("pw"), "s3cret");
        var spec = CustomizationSpecLoader.Parse($$"""
            hostname: web-01
            hosts: [{ ip: 10.0.0.10, hostnames: [db.internal] }]
            dns: { nameservers: [10.0.0.2] }
            rootPassword: { file: pw }
            users: [{ name: debian, sshAuthorizedKeys: ["{{Key}}"] }]
            timezone: Europe/Berlin
            network: { interfaces: [{ name: eth0, dhcp4: true }] }
            sshHostKeys: Keep
            machineId: Keep
            """);
        var options = new CustomizeOptions { BaseDirectory = _temp.Path };
        await GuestCustomization.RunAsync(image, spec, options, CancellationToken.None);
        var hash = Sh.Sha256(image);

        var (second, _) = await GuestCustomization.RunAsync(image, spec, options, CancellationToken.None);

        Assert.Empty(second.Changes);
        Assert.Equal(hash, Sh.Sha256(image));
        Sh.AssertFsckClean(image, offset);
    }

    [Fact]
    public async Task Ubuntu_guest_gets_netplan_and_a_resolved_drop_in()
    {
        var (image, offset) = Build(GuestFlavors.Ubuntu);
        var spec = CustomizationSpecLoader.Parse("dns: { nameservers: [10.0.0.2] }\nnetwork: { interfaces: [{ name: eth0, addresses: [10.0.0.5/24], gateway4: 10.0.0.1 }] }\nsshHostKeys: Keep\n");

        var (_, inspection) = await GuestCustomization.RunAsync(image, spec, new CustomizeOptions(), CancellationToken.None);

        Assert.Equal("netplan", inspection.Guest!.NetworkStyle);
        Assert.Equal("# Written by imprint.\n[Resolve]\nDNS=10.0.0.2\n", Cat(image, offset, "/etc/systemd/resolved.conf.d/90-imprint.conf"));
        Assert.Contains("Fast link dest: \"../run/systemd/resolve/stub-resolv.conf\"", Sh.DebugfsStat(image, offset, "/etc/resolv.conf"), StringComparison.Ordinal);
        Assert.Contains("        - \"10.0.0.5/24\"\n", Cat(image, offset, "/etc/netplan/90-imprint.yaml"), StringComparison.Ordinal);
        AssertStat(image, offset, "/etc/netplan/90-imprint.yaml", "0600", 0, 0);
        Sh.AssertFsckClean(image, offset);
    }

    [Fact]
    public async Task Rocky_guest_gets_keyfile_sysconfig_hostname_and_ssh_keys_group()
    {
        var (image, offset) = Build(GuestFlavors.Rocky);
        var spec = CustomizationSpecLoader.Parse("hostname: db-01\nnetwork: { interfaces: [{ name: eth0, addresses: [10.0.0.6/24], gateway4: 10.0.0.1 }] }\n");

        var (result, inspection) = await GuestCustomization.RunAsync(image, spec, new CustomizeOptions(), CancellationToken.None);

        Assert.Equal(("rocky", "networkmanager"), (inspection.Guest!.Distro, inspection.Guest.NetworkStyle));
        Assert.Equal("db-01\n", Cat(image, offset, "/etc/hostname"));
        Assert.Equal("NETWORKING=yes\nHOSTNAME=db-01\n", Cat(image, offset, "/etc/sysconfig/network"));
        Assert.Equal("127.0.0.1   localhost localhost.localdomain\n::1         localhost localhost.localdomain\n", Cat(image, offset, "/etc/hosts"));
        Assert.Contains("address1=10.0.0.6/24,10.0.0.1", Cat(image, offset, "/etc/NetworkManager/system-connections/imprint-eth0.nmconnection"), StringComparison.Ordinal);
        AssertStat(image, offset, "/etc/NetworkManager/system-connections/imprint-eth0.nmconnection", "0600", 0, 0);
        Assert.All(result.HostKeys, k => AssertStat(image, offset, $"/etc/ssh/ssh_host_{k.Type}_key", "0640", 0, 996));
        Sh.AssertFsckClean(image, offset);
    }

    [Fact]
    public async Task Alpine_guest_gets_interfaces_and_first_boot_is_refused_without_systemd()
    {
        var (image, offset) = Build(GuestFlavors.Alpine);
        var network = CustomizationSpecLoader.Parse("hostname: edge-01\nnetwork: { interfaces: [{ name: eth0, dhcp4: true }] }\nsshHostKeys: Keep\n");

        var (_, inspection) = await GuestCustomization.RunAsync(image, network, new CustomizeOptions(), CancellationToken.None);

        Assert.Equal(("alpine", "openrc", "alpine-interfaces"), (inspection.Guest!.Distro, inspection.Guest.InitSystem, inspection.Guest.NetworkStyle));
        Assert.Equal("auto lo\niface lo inet loopback\n\n# BEGIN imprint\n# Written by imprint.\nauto eth0\niface eth0 inet dhcp\n# END imprint\n", Cat(image, offset, "/etc/network/interfaces"));
        Assert.Equal("edge-01\n", Cat(image, offset, "/etc/hostname"));
        var hash = Sh.Sha256(image);
        var firstBoot = CustomizationSpecLoader.Parse("firstBootCommands: [\"echo hi\"]\n");
        var error = await Assert.ThrowsAsync<ImprintException>(() => GuestCustomization.RunAsync(image, firstBoot, new CustomizeOptions(), CancellationToken.None));
        Assert.Equal(ExitCode.Unsupported, error.Code);
        Assert.Contains("need systemd; this guest uses openrc", error.Message, StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Theory]
    [InlineData("rootPassword: { file: missing-password }", ExitCode.NotFound, "missing-password")]
    [InlineData("timezone: Mars/Olympus", ExitCode.Usage, "Mars/Olympus")]
    [InlineData("timezone: Europe", ExitCode.Usage, "timezone: 'Europe' is a folder of zones")]
    [InlineData("timezone: zone.tab", ExitCode.Usage, "timezone: 'zone.tab' is not a time zone")]
    [InlineData("users: [{ name: nobody2, groups: [wheel], sshAuthorizedKeys: [\"" + Key + "\"] }]", ExitCode.Usage, "wheel")]
    [InlineData("files: [{ path: /etc/x, content: a, owner: \"ghost:root\" }]", ExitCode.Usage, "ghost")]
    public async Task Bad_input_is_a_clear_error_and_writes_nothing(string yaml, ExitCode code, string named)
    {
        var (image, _) = Build(GuestFlavors.Debian);
        var hash = Sh.Sha256(image);

        var error = await Assert.ThrowsAsync<ImprintException>(() =>
            GuestCustomization.RunAsync(image, CustomizationSpecLoader.Parse(yaml), new CustomizeOptions { BaseDirectory = _temp.Path }, CancellationToken.None));

        Assert.Equal(code, error.Code);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public async Task Invalid_hostname_is_refused_before_anything_is_read()
    {
        var (image, _) = Build(GuestFlavors.Debian);
        var hash = Sh.Sha256(image);
        var spec = new CustomizationSpec { Hostname = "not_valid" };

        var error = await Assert.ThrowsAsync<ImprintException>(() => GuestCustomization.RunAsync(image, spec, new CustomizeOptions(), CancellationToken.None));

        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Contains("RFC 1123", error.Message, StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public async Task A_hostname_symlink_climbing_out_is_resolved_inside_the_guest()
    {
        var (image, offset) = Build(root =>
        {
            GuestFlavors.Debian(root);
            File.Delete(Path.Combine(root, "etc/hostname"));
            File.CreateSymbolicLink(Path.Combine(root, "etc/hostname"), "/../../../etc/host");
            GuestTrees.Write(root, "etc/host", "old\n");
            return root;
        });
        var hostHostname = await File.ReadAllTextAsync("/etc/hostname");

        await GuestCustomization.RunAsync(image, new CustomizationSpec { Hostname = "inside", SshHostKeys = "Keep" }, new CustomizeOptions(), CancellationToken.None);

        Assert.Equal("inside\n", Cat(image, offset, "/etc/host"));
        Assert.Equal(hostHostname, await File.ReadAllTextAsync("/etc/hostname"));
        Sh.AssertFsckClean(image, offset);
    }

    [Fact]
    public async Task A_zone_reached_through_guest_symlinks_is_checked_at_its_target()
    {
        var (image, offset) = Build(root =>
        {
            GuestFlavors.Debian(root);
            Directory.CreateDirectory(Path.Combine(root, "usr/share/zoneinfo/Etc"));
            File.CreateSymbolicLink(Path.Combine(root, "usr/share/zoneinfo/Etc/UTC"), "../UTC");
            File.CreateSymbolicLink(Path.Combine(root, "usr/share/zoneinfo/Escape"), "/../../../etc/hostname");
            return root;
        });
        var hash = Sh.Sha256(image);

        // Escape climbs out of / on the host, but inside the guest it lands on /etc/hostname: not TZif, refused.
        var error = await Assert.ThrowsAsync<ImprintException>(() =>
            GuestCustomization.RunAsync(image, new CustomizationSpec { Timezone = "Escape", SshHostKeys = "Keep", MachineId = "Keep" }, new CustomizeOptions(), CancellationToken.None));
        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Equal("timezone: 'Escape' is not a time zone: /usr/share/zoneinfo/Escape does not start with the TZif magic (it is not compiled zone data)", error.Message);
        Assert.Equal(hash, Sh.Sha256(image));

        await GuestCustomization.RunAsync(image, new CustomizationSpec { Timezone = "Etc/UTC", SshHostKeys = "Keep", MachineId = "Keep" }, new CustomizeOptions(), CancellationToken.None);

        Assert.Contains("Fast link dest: \"/usr/share/zoneinfo/Etc/UTC\"", Sh.DebugfsStat(image, offset, "/etc/localtime"), StringComparison.Ordinal);
        Sh.AssertFsckClean(image, offset);
    }

    [Fact]
    public async Task Files_land_byte_exact_from_base64_content_files_and_mounted_secret_and_config_map_keys()
    {
        var (image, offset) = Build(GuestFlavors.Debian);
        var allBytes = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        var random = new byte[1 << 20];
        new Random(10).NextBytes(random);
        byte[] bomAndInvalidUtf8 = [0xEF, 0xBB, 0xBF, (byte)'h', (byte)'i', 0xFF, 0xC3, 0x28, 0x80, (byte)'\n'];
        var given = new Dictionary<string, byte[]>
        {
            ["/opt/b64-all-bytes"] = allBytes,
            ["/opt/b64-random"] = random,
            ["/opt/file-all-bytes"] = allBytes,
            ["/opt/file-random"] = random,
            ["/opt/file-bom"] = bomAndInvalidUtf8,
            ["/opt/secret-key"] = random.Reverse().ToArray(),   // where the operator projects a Secret key
            ["/opt/config-map-key"] = allBytes.Reverse().ToArray(), // ... and a ConfigMap binaryData key
            ["/opt/inline-text"] = System.Text.Encoding.UTF8.GetBytes("\uFEFFgrüße € 😀\n"),
        };
        Directory.CreateDirectory(_temp.File("secrets"));
        Directory.CreateDirectory(_temp.File("files"));
        await File.WriteAllBytesAsync(_temp.File("all.bin"), allBytes);
        await File.WriteAllBytesAsync(_temp.File("random.bin"), random);
        await File.WriteAllBytesAsync(_temp.File("bom.txt"), bomAndInvalidUtf8);
        await File.WriteAllBytesAsync(Path.Combine(_temp.Path, "secrets", "file-5"), given["/opt/secret-key"]);
        await File.WriteAllBytesAsync(Path.Combine(_temp.Path, "files", "file-6"), given["/opt/config-map-key"]);
        var spec = CustomizationSpecLoader.Parse($$"""
            {
              "sshHostKeys": "Keep", "machineId": "Keep",
              "files": [
                { "path": "/opt/b64-all-bytes", "base64": "{{Convert.ToBase64String(allBytes)}}" },
                { "path": "/opt/b64-random", "base64": "{{Convert.ToBase64String(random, Base64FormattingOptions.InsertLineBreaks).Replace("\r\n", "\\n", StringComparison.Ordinal)}}" },
                { "path": "/opt/file-all-bytes", "contentFile": "all.bin" },
                { "path": "/opt/file-random", "contentFile": "{{_temp.File("random.bin")}}" },
                { "path": "/opt/file-bom", "contentFile": "bom.txt" },
                { "path": "/opt/secret-key", "contentFile": "secrets/file-5" },
                { "path": "/opt/config-map-key", "contentFile": "files/file-6" },
                { "path": "/opt/inline-text", "content": "\uFEFFgrüße € 😀\n" }
              ]
            }
            """);
        var options = new CustomizeOptions { BaseDirectory = _temp.Path };

        var (first, _) = await GuestCustomization.RunAsync(image, spec, options, CancellationToken.None);
        var (second, _) = await GuestCustomization.RunAsync(image, spec, options, CancellationToken.None);

        Sh.AssertFsckClean(image, offset);
        foreach (var (path, bytes) in given)
        {
            // debugfs dump is the oracle: sha256 of the bytes in the guest equals sha256 of the bytes given.
            var dumped = _temp.File("dump-" + Path.GetFileName(path));
            Sh.RunResult("debugfs", ["-R", $"dump \"{path}\" \"{dumped}\"", $"{image}?offset={offset}"]);
            Assert.True(File.Exists(dumped), $"{path} was not written");
            Assert.Equal((path, bytes.Length, Convert.ToHexString(SHA256.HashData(bytes))), (path, (int)new FileInfo(dumped).Length, Sh.Sha256(dumped)));
        }

        Assert.Equal(given.Keys.Order(StringComparer.Ordinal), first.Changes.Where(c => c.Operation == "files").Select(c => c.Path).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(second.Changes, c => c.Operation == "files"); // the same bytes again change nothing
    }

    [Fact]
    public async Task A_200_mb_content_file_is_refused_over_the_64_mib_limit_before_anything_is_read()
    {
        var (image, _) = Build(GuestFlavors.Debian);
        var hash = Sh.Sha256(image);
        using (var big = File.Create(_temp.File("big.bin")))
        {
            big.SetLength(200_000_000); // sparse: costs no disk or time
        }

        var spec = CustomizationSpecLoader.Parse("files: [{ path: /opt/big, contentFile: big.bin }]");

        var error = await Assert.ThrowsAsync<ImprintException>(() =>
            GuestCustomization.RunAsync(image, spec, new CustomizeOptions { BaseDirectory = _temp.Path }, CancellationToken.None));

        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Equal(
            "invalid customization (1 problem):\n  files[0].contentFile: 'big.bin' is 200000000 bytes, over the limit of 64 MiB per file (67108864 bytes)",
            error.Message);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public async Task Content_files_over_the_total_limit_or_not_regular_files_are_all_refused_at_once()
    {
        var (image, _) = Build(GuestFlavors.Debian);
        var hash = Sh.Sha256(image);
        for (var i = 0; i < 5; i++)
        {
            using var part = File.Create(_temp.File($"part{i}.bin"));
            part.SetLength(60L << 20); // 5 x 60 MiB: each under the per-file limit, together over 256 MiB
        }

        Directory.CreateDirectory(_temp.File("a-folder"));
        var spec = CustomizationSpecLoader.Parse("""
            files:
              - { path: /opt/p0, contentFile: part0.bin }
              - { path: /opt/p1, contentFile: part1.bin }
              - { path: /opt/p2, contentFile: part2.bin }
              - { path: /opt/p3, contentFile: part3.bin }
              - { path: /opt/p4, contentFile: part4.bin }
              - { path: /opt/dir, contentFile: a-folder }
              - { path: /opt/zero, contentFile: /dev/zero }
            """);

        var error = await Assert.ThrowsAsync<ImprintException>(() =>
            GuestCustomization.RunAsync(image, spec, new CustomizeOptions { BaseDirectory = _temp.Path }, CancellationToken.None));

        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Equal(
            "invalid customization (3 problems):\n"
            + "  files[5].contentFile: 'a-folder' is not a regular file\n"
            + "  files[6].contentFile: '/dev/zero' is not a regular file\n"
            + "  files: 314572800 bytes in all, over the limit of 256 MiB (268435456 bytes) for one customization",
            error.Message);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Theory]
    [InlineData("rootPassword: { file: long-password }", "rootPassword.file: 'long-password' is over the limit of 1024 bytes")]
    [InlineData("rootPassword: { file: /dev/zero }", "rootPassword.file: '/dev/zero' is not a regular file")]
    [InlineData("rootPassword: { file: latin1-password }", "rootPassword.file: 'latin1-password' is not UTF-8 text")]
    [InlineData("users: [{ name: debian, sshAuthorizedKeysFile: /dev/zero }]", "users[0].sshAuthorizedKeysFile: '/dev/zero' is not a regular file")]
    public async Task Secret_inputs_are_bounded_regular_utf8_files_named_by_field(string yaml, string problem)
    {
        // SHA-crypt's work grows with the square of the password length: a 1 MiB Secret would hang the agent for hours.
        var (image, _) = Build(GuestFlavors.Debian);
        var hash = Sh.Sha256(image);
        await File.WriteAllTextAsync(_temp.File("long-password"), new string('p', 1025));
        await File.WriteAllBytesAsync(_temp.File("latin1-password"), [(byte)'p', 0xE4, (byte)'s', (byte)'s']);

        var error = await Assert.ThrowsAsync<ImprintException>(() =>
            GuestCustomization.RunAsync(image, CustomizationSpecLoader.Parse(yaml), new CustomizeOptions { BaseDirectory = _temp.Path }, CancellationToken.None));

        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Equal($"invalid customization (1 problem):\n  {problem}", error.Message);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public async Task Read_only_disk_is_refused()
    {
        var (image, _) = Build(GuestFlavors.Debian);
        File.SetUnixFileMode(image, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        var hash = Sh.Sha256(image);

        var error = await Assert.ThrowsAsync<ImprintException>(() => GuestCustomization.RunAsync(image, new CustomizationSpec { Hostname = "x" }, new CustomizeOptions(), CancellationToken.None));

        Assert.Equal(ExitCode.NotWritable, error.Code);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public async Task Xfs_root_without_an_appliance_engine_is_refused_naming_xfs()
    {
        var image = _temp.File("xfs.raw");
        TestDisks.CreateGpt(image, 320, new PartitionSpec(0));
        var (offset, length) = TestDisks.PartitionRange(image, 1);
        var fs = _temp.File("xfs.img");
        TestDisks.CreateSparse(fs, length);
        Sh.Run("mkfs.xfs", "-q", fs);
        Sh.Run("dd", $"if={fs}", $"of={image}", "bs=1M", $"seek={offset / TestDisks.MiB}", "conv=notrunc,sparse", "status=none");
        var inspection = await DiskInspector.InspectAsync(image, CancellationToken.None);

        // A build without the libguestfs engine (the appliance path is covered by the Appliance tests).
        var error = await Assert.ThrowsAsync<ImprintException>(() => GuestRootOpener.OpenAsync(inspection, GuestAccess.ReadWrite, new GuestFileSystemOpener(null), CancellationToken.None));

        Assert.Equal(ExitCode.Unsupported, error.Code);
        Assert.Contains("xfs", error.Message, StringComparison.Ordinal);
        Assert.Contains("not supported yet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disk_without_a_linux_root_is_a_clear_error()
    {
        var image = _temp.File("empty-fs.raw");
        TestDisks.CreateGpt(image, 32, new PartitionSpec(0));
        TestDisks.MakeExt(image, 1);

        var error = await Assert.ThrowsAsync<ImprintException>(() => GuestCustomization.RunAsync(image, new CustomizationSpec { Hostname = "x" }, new CustomizeOptions(), CancellationToken.None));

        Assert.Contains("no Linux root filesystem", error.Message, StringComparison.Ordinal);
    }

    private (string Image, long Offset) Build(Func<string, string> flavor)
    {
        var tree = flavor(_temp.File("tree-" + Guid.NewGuid().ToString("N")));
        var image = _temp.File("disk-" + Guid.NewGuid().ToString("N") + ".raw");
        TestDisks.CreateGpt(image, 48, new PartitionSpec(1, "ef02"), new PartitionSpec(0));
        var offset = TestDisks.MakeExt(image, 2, tree: tree);
        foreach (var (path, uid) in new[] { ("/home/debian", 1000), ("/home/rocky", 1000), ("/home/alpine", 1000) })
        {
            Sh.RunResult("debugfs", ["-w", "-R", $"sif {path} uid {uid}", $"{image}?offset={offset}"]);
            Sh.RunResult("debugfs", ["-w", "-R", $"sif {path} gid {uid}", $"{image}?offset={offset}"]);
        }

        return (image, offset);
    }

    private static string Cat(string image, long offset, string path) => Sh.DebugfsCat(image, offset, path);

    private static void AssertStat(string image, long offset, string path, string mode, int uid, int gid)
    {
        var stat = Sh.DebugfsStat(image, offset, path);
        Assert.Contains($"Mode:  {mode}", stat, StringComparison.Ordinal);
        Assert.Matches($"User: +{uid} +Group: +{gid} ", stat);
    }
}
