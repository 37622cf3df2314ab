using Imprint.Agent.Customization.Spec;
using Imprint.Agent.Errors;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Customization.Spec;

public sealed class CustomizationSpecLoaderTests : IDisposable
{
    private const string Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl demo@imprint";

    private const string FullYaml = $"""
        hostname: web-01.example.com
        hosts:
          - ip: 10.0.0.10
            hostnames: [db.internal, db]
        dns:
          nameservers: [10.0.0.2, "fd00::2"]
          searches: [internal]
          options: [edns0, "ndots:2"]
        rootPassword:
          file: /run/secrets/root-password
          lock: false
        users:
          - name: debian
            sshAuthorizedKeys: ["{Key}"]
            sshAuthorizedKeysFile: keys.pub
        sshHostKeys: Keep
        machineId: Regenerate
        timezone: Europe/Berlin
        network:
          interfaces:
            - name: ens3
              macAddress: "52:54:00:12:34:56"
              dhcp4: false
              dhcp6: true
              addresses: [10.0.0.5/24, "fd00::5/64"]
              gateway4: 10.0.0.1
              gateway6: "fd00::1"
              nameservers: [10.0.0.2]
              searchDomains: [internal]
              mtu: 1450
        files:
          - path: /etc/motd
            content: "hello\n"
            mode: "0640"
            owner: "root:adm"
          - path: /etc/app.bin
            base64: aGk=
            mode: 420
        firstBootCommands:
          - echo first boot
        """;

    private const string FullJson = $$"""
        {
          "hostname": "web-01.example.com",
          "hosts": [{ "ip": "10.0.0.10", "hostnames": ["db.internal", "db"] }],
          "dns": { "nameservers": ["10.0.0.2", "fd00::2"], "searches": ["internal"], "options": ["edns0", "ndots:2"] },
          "rootPassword": { "file": "/run/secrets/root-password", "lock": false },
          "users": [{ "name": "debian", "sshAuthorizedKeys": ["{{Key}}"], "sshAuthorizedKeysFile": "keys.pub" }],
          "sshHostKeys": "Keep",
          "machineId": "Regenerate",
          "timezone": "Europe/Berlin",
          "network": { "interfaces": [{
            "name": "ens3", "macAddress": "52:54:00:12:34:56", "dhcp4": false, "dhcp6": true,
            "addresses": ["10.0.0.5/24", "fd00::5/64"], "gateway4": "10.0.0.1", "gateway6": "fd00::1",
            "nameservers": ["10.0.0.2"], "searchDomains": ["internal"], "mtu": 1450 }] },
          "files": [
            { "path": "/etc/motd", "content": "hello\n", "mode": "0640", "owner": "root:adm" },
            { "path": "/etc/app.bin", "base64": "aGk=", "mode": 420 }
          ],
          "firstBootCommands": ["echo first boot"]
        }
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Yaml_and_json_load_every_field_to_the_same_spec()
    {
        var yaml = CustomizationSpecLoader.Parse(FullYaml);
        var json = CustomizationSpecLoader.Parse(FullJson);

        Assert.Equal(CustomizationSpecLoader.ToJson(json), CustomizationSpecLoader.ToJson(yaml));
        Assert.Empty(yaml.ValidationErrors());
        Assert.Equal("web-01.example.com", yaml.Hostname);
        Assert.Equal(["db.internal", "db"], yaml.Hosts![0].Hostnames);
        Assert.Equal(["edns0", "ndots:2"], yaml.Dns!.Options);
        Assert.Equal("/run/secrets/root-password", yaml.RootPassword!.File);
        Assert.Equal("keys.pub", yaml.Users![0].SshAuthorizedKeysFile);
        Assert.False(yaml.RegenerateSshHostKeys);
        Assert.True(yaml.RegenerateMachineId);
        var nic = yaml.Network!.Interfaces![0];
        Assert.Equal(("ens3", "52:54:00:12:34:56", false, true, 1450), (nic.InterfaceName, nic.MacAddress, nic.Dhcp4, nic.Dhcp6, nic.Mtu));
        Assert.Equal(["10.0.0.5/24", "fd00::5/64"], nic.Addresses);
        Assert.Equal((0b110_100_000, 0b110_100_100), (yaml.Files![0].Mode!.Bits, yaml.Files[1].Mode!.Bits));
        Assert.Equal(["echo first boot"], yaml.FirstBootCommands);
    }

    [Fact]
    public void Json_output_uses_kubernetes_camel_case_and_leaves_out_unset_fields()
    {
        var spec = new CustomizationSpec
        {
            Hostname = "a",
            RootPassword = new RootPasswordSpec { Lock = true },
            Network = new NetworkSpec { Interfaces = [new NetworkInterfaceSpec { Dhcp4 = true }] },
            Files = [new FileSpec { Path = "/x", Content = "y", Mode = FileModeSpec.Octal("0600") }],
        };

        Assert.Equal(
            "{\"hostname\":\"a\",\"rootPassword\":{\"lock\":true},\"network\":{\"interfaces\":[{\"dhcp4\":true,\"dhcp6\":false}]},\"files\":[{\"path\":\"/x\",\"content\":\"y\",\"mode\":\"0600\"}]}",
            CustomizationSpecLoader.ToJson(spec));
    }

    [Theory]
    [InlineData("mode: \"0644\"", false, 0b110_100_100)]
    [InlineData("mode: '755'", false, 0b111_101_101)]
    [InlineData("mode: 0644", false, 0b110_100_100)]
    [InlineData("mode: 0o600", false, 0b110_000_000)]
    [InlineData("mode: 420", true, 0b110_100_100)]
    [InlineData("mode: \"04755\"", false, 0b100_111_101_101)]
    public void Yaml_modes_are_octal_strings_or_decimal_numbers(string line, bool isNumber, int bits)
    {
        var mode = CustomizationSpecLoader.Parse($"files:\n  - path: /x\n    content: y\n    {line}\n").Files![0].Mode!;

        Assert.Equal((isNumber, bits), (mode.IsNumber, mode.Bits));
    }

    [Theory]
    [InlineData("{\"files\":[{\"path\":\"/x\",\"content\":\"y\",\"mode\":420}]}", 0b110_100_100)]
    [InlineData("{\"files\":[{\"path\":\"/x\",\"content\":\"y\",\"mode\":\"0600\"}]}", 0b110_000_000)]
    public void Json_modes_are_octal_strings_or_decimal_numbers(string json, int bits) =>
        Assert.Equal(bits, CustomizationSpecLoader.Parse(json).Files![0].Mode!.Bits);

    [Theory]
    [InlineData("hostnme: x\n", "hostnme")]
    [InlineData("{\"hostnme\":\"x\"}", "hostnme")]
    [InlineData("network:\n  interfaces:\n    - nmae: eth0\n", "nmae")]
    [InlineData("hostname: [unclosed\n", "spec")]
    [InlineData("{\"hostname\": ", "spec")]
    public void Unknown_fields_and_syntax_errors_are_usage_errors_that_say_where(string text, string named)
    {
        var error = Assert.Throws<ImprintException>(() => CustomizationSpecLoader.Parse(text));

        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_detects_json_and_yaml_by_content_not_extension()
    {
        var jsonInYml = _temp.File("spec.yml");
        var yamlInJson = _temp.File("spec.json");
        File.WriteAllText(jsonInYml, "  {\"hostname\": \"from-json\"}");
        File.WriteAllText(yamlInJson, "hostname: from-yaml\n");

        Assert.Equal("from-json", CustomizationSpecLoader.Load(jsonInYml).Hostname);
        Assert.Equal("from-yaml", CustomizationSpecLoader.Load(yamlInJson).Hostname);
    }

    [Fact]
    public void Load_validates_and_lists_every_problem_with_its_field_path()
    {
        var path = _temp.File("bad.yaml");
        File.WriteAllText(path, "hostname: Web_01\nnetwork:\n  interfaces:\n    - addresses: [10.0.0.5/24, 10.0.0.300/24]\n");

        var error = Assert.Throws<ImprintException>(() => CustomizationSpecLoader.Load(path));

        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Equal(
            "invalid customization (2 problems):\n"
            + "  hostname: 'Web_01' has uppercase letters; use 'web_01' (host names are lowercase, as Kubernetes names are)\n"
            + "  network.interfaces[0].addresses[1]: '10.0.0.300/24' is not an IP/prefix such as 10.0.0.5/24 or fd00::5/64",
            error.Message);
    }

    [Fact]
    public void A_missing_spec_file_is_not_found()
    {
        var error = Assert.Throws<ImprintException>(() => CustomizationSpecLoader.Load(_temp.File("nope.yaml")));

        Assert.Equal(ExitCode.NotFound, error.Code);
    }

    [Theory]
    [InlineData("# nothing\n")]
    [InlineData("---\n")]
    [InlineData("~\n")]
    public void An_empty_document_is_an_empty_spec(string text)
    {
        var spec = CustomizationSpecLoader.Parse(text);

        Assert.Equal(new CustomizationSpec(), spec);
        Assert.True(spec.RegenerateMachineId && spec.RegenerateSshHostKeys);
    }

    [Fact]
    public void Every_shape_problem_in_yaml_is_reported_at_once_in_the_specs_own_terms()
    {
        const string yaml = """
            users: "x"
            hostnme: a
            files:
              - content: a
                mode: 99999
              - path: /etc/y
                content: [1]
            network: { interfaces: [{ name: e, dhcp4: maybe, mtu: big }] }
            firstBootCommands: echo hi
            """;

        var error = Assert.Throws<ImprintException>(() => CustomizationSpecLoader.Parse(yaml));

        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Equal(
            "invalid customization (6 problems):\n"
            + "  users: expected a list, found a string\n"
            + "  hostnme: unknown field (did you mean hostname?)\n"
            + "  files[1].content: expected a string, found a list\n"
            + "  network.interfaces[0].dhcp4: expected true or false, found a string\n"
            + "  network.interfaces[0].mtu: expected a whole number, found a string\n"
            + "  firstBootCommands: expected a list, found a string",
            error.Message);
    }

    [Fact]
    public void Every_shape_problem_in_json_is_reported_at_once_without_dotnet_type_names()
    {
        const string json = """
            { "users": [{ "name": "a", "uid": -1, "groups": "wheel" }], "hostname": 5,
              "files": [{ "path": "/x", "content": "a", "mode": true }, 3], "network": { "interfaces": {} } }
            """;

        var error = Assert.Throws<ImprintException>(() => CustomizationSpecLoader.Parse(json));

        Assert.Equal(
            "invalid customization (6 problems):\n"
            + "  users[0].uid: -1 is not a whole number from 0 to 4294967295\n"
            + "  users[0].groups: expected a list, found a string\n"
            + "  hostname: expected a string, found a number\n"
            + "  files[0].mode: expected an octal string such as \"0644\" or a number, found true or false\n"
            + "  files[1]: expected an object, found a number\n"
            + "  network.interfaces: expected a list, found an object",
            error.Message);
        Assert.DoesNotContain("System.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Imprint.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hostname: a\nhostname: b\n", "hostname: given twice")]
    [InlineData("network:\n  interfaces:\n    - name: a\n      dhcp4: true\n      name: b\n", "network.interfaces[0].name: given twice")]
    [InlineData("{\"hostname\": \"a\", \"hostname\": \"b\"}", "hostname: given twice")]
    [InlineData("{\"users\": [{\"name\": \"a\", \"groups\": [\"x\"], \"groups\": [\"y\"]}]}", "users[0].groups: given twice")]
    public void Duplicate_keys_are_errors_naming_the_path(string text, string expected)
    {
        var error = Assert.Throws<ImprintException>(() => CustomizationSpecLoader.Parse(text));

        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Equal($"invalid customization (1 problem):\n  {expected}", error.Message);
    }

    [Fact]
    public void Load_reports_shape_and_value_problems_together_and_missing_required_fields_by_name()
    {
        var path = _temp.File("both.yaml");
        File.WriteAllText(path, "hostname: Web_01\nusers: [{ groups: [sudo] }]\nhosts: [{ hostnames: [db] }]\nfiles: [{ content: a }]\ndns: { nameservers: x }\n");

        var error = Assert.Throws<ImprintException>(() => CustomizationSpecLoader.Load(path));

        Assert.Equal(
            "invalid customization (5 problems):\n"
            + "  dns.nameservers: expected a list, found a string\n"
            + "  hostname: 'Web_01' has uppercase letters; use 'web_01' (host names are lowercase, as Kubernetes names are)\n"
            + "  hosts[0].ip: required\n"
            + "  users[0].name: required\n"
            + "  files[0].path: required",
            error.Message);
    }

    [Fact]
    public void A_spec_file_over_the_size_limit_is_refused_before_parsing()
    {
        var path = _temp.File("huge.yaml");
        using (var writer = File.CreateText(path))
        {
            writer.Write("hostname: a\n");
            writer.Write(new string('#', (16 << 20) + 1));
        }

        var error = Assert.Throws<ImprintException>(() => CustomizationSpecLoader.Load(path));

        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Contains("16 MiB", error.Message, StringComparison.Ordinal);
        Assert.Contains("contentFile", error.Message, StringComparison.Ordinal);
    }
}
