using Imprint.Agent.Customization.Spec;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Tests.Customization.Spec;

public sealed class CustomizationSpecValidatorTests
{
    [Fact]
    public void Every_problem_is_reported_with_its_field_path()
    {
        var spec = CustomizationSpecLoader.Parse("""
            hostname: -web
            hosts:
              - ip: 10.0.0
                hostnames: []
            dns:
              nameservers: [10.0.0.300, "fe80::1%eth0"]
              searches: ["bad domain"]
              options: ["rm -rf"]
            rootPassword:
              file: pw
              hash: "$6$abc:def"
            users:
              - name: Root
              - name: ok
                sshAuthorizedKeys: ["ssh-ed25519 bm90IGEga2V5"]
            sshHostKeys: keep
            machineId: Sometimes
            timezone: "Europe/../etc"
            network:
              interfaces:
                - name: eth0
                  addresses: [10.0.0.5/24, 10.0.0.300/24, "fd00::5/129"]
                  macAddress: zz:zz
                  gateway4: "fd00::1"
                  gateway6: "fd00::1"
                  nameservers: [dns.example]
                  searchDomains: ["-x"]
                  mtu: 100
                - name: eth0
                - name: "a/b"
                  dhcp4: true
            files:
              - path: relative/path
                content: a
                base64: YQ==
              - path: /etc/x
                contentFile: x
                mode: 644
                owner: "root:"
              - path: /etc/y
                base64: "***"
                mode: "0999"
              - path: /etc/x
                content: again
            firstBootCommands: ["", "echo a \\"]
            """);

        var errors = spec.ValidationErrors();

        Assert.Equal(
            [
                "hostname: '-web' is not an RFC 1123 host name (dot-separated labels of 1–63 characters from a-z, 0-9 and '-', not starting or ending with '-')",
                "hosts[0].ip: '10.0.0' is not an IP address",
                "hosts[0].hostnames: at least one name is required",
                "dns.nameservers[0]: '10.0.0.300' is not an IP address",
                "dns.nameservers[1]: 'fe80::1%eth0' is not an IP address",
                "dns.searches[0]: 'bad domain' is not a DNS domain name",
                "dns.options[0]: 'rm -rf' is not a resolv.conf option such as edns0 or ndots:2",
                "rootPassword: give either file or hash, not both",
                "rootPassword.hash: expected a crypt(3) hash such as $6$salt$… (the value is not shown)",
                "users[0].name: 'Root' is not a valid user name",
                "users[0]: give sshAuthorizedKeys, sshAuthorizedKeysFile or groups",
                "users[1].sshAuthorizedKeys[0]: the base64 key data is not a valid ssh-ed25519 key",
                "sshHostKeys: 'keep' must be Regenerate or Keep (case-sensitive)",
                "machineId: 'Sometimes' must be Regenerate or Keep (case-sensitive)",
                "timezone: 'Europe/../etc' is not an IANA time zone name such as Europe/Berlin",
                "network.interfaces[0].macAddress: 'zz:zz' is not a MAC address like 52:54:00:12:34:56",
                "network.interfaces[0].addresses[1]: '10.0.0.300/24' is not an IP/prefix such as 10.0.0.5/24 or fd00::5/64",
                "network.interfaces[0].addresses[2]: 'fd00::5/129' is not an IP/prefix such as 10.0.0.5/24 or fd00::5/64",
                "network.interfaces[0].gateway4: 'fd00::1' is not an IPv4 address",
                "network.interfaces[0].gateway6: needs a static IPv6 address in addresses",
                "network.interfaces[0].nameservers[0]: 'dns.example' is not an IP address",
                "network.interfaces[0].searchDomains[0]: '-x' is not a DNS domain name",
                "network.interfaces[0].mtu: 100 is outside 576–65535",
                "network.interfaces[1].name: 'eth0' is listed twice",
                "network.interfaces[1]: give addresses or enable dhcp4/dhcp6",
                "network.interfaces[2].name: 'a/b' is not an interface name (1–15 characters, no '/', ':' or spaces)",
                "files[0].path: 'relative/path' must be an absolute guest file path without '.', '..' or empty parts",
                "files[0]: give exactly one of content, contentFile, base64",
                "files[1].mode: 644 is read as a decimal number and is not within 0–511 (0777); write an octal string such as \"0644\"",
                "files[1].owner: 'root:' must be user, uid, user:group or uid:gid",
                "files[2].mode: '0999' is not an octal mode such as \"0644\" (at most 07777)",
                "files[2].base64: not valid base64",
                "files[3].path: '/etc/x' is listed twice",
                "firstBootCommands[0]: must be one non-empty line not ending in '\\' (use a files entry for a longer script)",
                "firstBootCommands[1]: must be one non-empty line not ending in '\\' (use a files entry for a longer script)",
            ],
            errors);
    }

    [Fact]
    public void Validate_throws_a_usage_error_listing_all_problems()
    {
        var spec = new CustomizationSpec { Hostname = "UPPER", Timezone = "/etc/passwd" };

        var error = Assert.Throws<ImprintException>(spec.Validate);

        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Equal(
            "invalid customization (2 problems):\n  hostname: 'UPPER' has uppercase letters; use 'upper' (host names are lowercase, as Kubernetes names are)\n"
            + "  timezone: '/etc/passwd' is not an IANA time zone name such as Europe/Berlin",
            error.Message);
    }

    [Fact]
    public void A_valid_spec_has_no_errors_and_validate_does_not_throw()
    {
        var spec = new CustomizationSpec
        {
            Hostname = "web-01",
            RootPassword = new RootPasswordSpec { Hash = "$6$rounds=5000$salt$abc./XYZ", Lock = true },
            Network = new NetworkSpec { Interfaces = [new NetworkInterfaceSpec { Dhcp4 = true, Dhcp6 = true }, new NetworkInterfaceSpec { Name = "eth1", Addresses = ["fd00::5/64"], Gateway6 = "fd00::1" }] },
            Files = [new FileSpec { Path = "/usr/local/bin/tool", Base64 = "aGk=", Mode = FileModeSpec.Number(493), Owner = "0:0" }],
        };

        Assert.Empty(spec.ValidationErrors());
        spec.Validate();
    }

    [Theory]
    [InlineData("web-01", true)]
    [InlineData("web-01.example.com", true)]
    [InlineData("a", true)]
    [InlineData("0", true)]
    [InlineData("-web", false)]
    [InlineData("web-", false)]
    [InlineData("web..example", false)]
    [InlineData("web.", false)]
    [InlineData("Web01", false)]
    [InlineData("web_01", false)]
    [InlineData("", false)]
    public void Hostnames_follow_rfc_1123_in_lowercase(string name, bool valid) =>
        Assert.Equal(valid, CustomizationSpecValidator.HostnameProblem(name) is null);

    [Fact]
    public void The_system_hostname_must_fit_the_linux_limit_of_64()
    {
        var name65 = new string('a', 32) + "." + new string('b', 32);

        Assert.Null(CustomizationSpecValidator.HostnameProblem(name65));
        Assert.Equal(
            [$"hostname: '{name65}' is longer than 64 characters, the Linux limit for the system host name"],
            new CustomizationSpec { Hostname = name65 }.ValidationErrors());
        Assert.Empty(new CustomizationSpec { Hostname = name65[..64] }.ValidationErrors());
    }

    [Fact]
    public void Hostname_label_and_total_lengths_are_limited()
    {
        var label63 = new string('a', 63);
        var total253 = string.Join('.', Enumerable.Repeat(label63, 3)) + "." + new string('b', 61);

        Assert.Null(CustomizationSpecValidator.HostnameProblem(label63));
        Assert.NotNull(CustomizationSpecValidator.HostnameProblem(label63 + "a"));
        Assert.Equal(253, total253.Length);
        Assert.Null(CustomizationSpecValidator.HostnameProblem(total253));
        Assert.Equal($"'{total253}b' must be 1 to 253 characters", CustomizationSpecValidator.HostnameProblem(total253 + "b"));
    }

    [Fact]
    public void User_groups_shell_and_uid_are_checked_from_json_and_yaml_alike()
    {
        const string json = """{ "users": [{ "name": "admin", "groups": ["sudo", "Bad Group", "sudo"], "shell": "bin/bash", "uid": 0 }] }""";
        const string yaml = "users: [{ name: admin, groups: [sudo, Bad Group, sudo], shell: bin/bash, uid: 0 }]";
        string[] expected =
        [
            "users[0].groups[1]: 'Bad Group' is not a valid group name",
            "users[0].groups[2]: 'sudo' is listed twice",
            "users[0].shell: 'bin/bash' must be an absolute path without ':' or white space",
            "users[0].uid: 0 is reserved (0 is root, 4294967295 means none)",
        ];

        Assert.Equal(expected, CustomizationSpecLoader.Parse(json).ValidationErrors());
        Assert.Equal(expected, CustomizationSpecLoader.Parse(yaml).ValidationErrors());
        Assert.Empty(CustomizationSpecLoader.Parse("users: [{ name: admin, groups: [wheel], shell: /bin/zsh, uid: 1500 }]").ValidationErrors());
    }

    [Fact]
    public void First_boot_commands_that_do_not_parse_are_named_by_index()
    {
        var spec = new CustomizationSpec { FirstBootCommands = ["echo ok", "echo \"unterminated", "touch /x", "cat <<EOF"] };

        Assert.Equal(
            [
                "firstBootCommands[1]: not valid POSIX sh: Syntax error: Unterminated quoted string",
                "firstBootCommands[3]: leaves a here-document or a block open past the end of the line; put a multi-line script in a files entry and run that",
            ],
            spec.ValidationErrors());
    }
}
