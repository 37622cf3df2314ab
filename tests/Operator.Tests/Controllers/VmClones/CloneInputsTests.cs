using System.Text.Json.Nodes;
using Imprint.Agent.Customization.Spec;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.VmClones;

namespace Imprint.Operator.Tests.Controllers.VmClones;

public sealed class CloneInputsTests
{
    // A well-formed ssh-ed25519 public key line: the agent checks the blob's type string and key length.
    private static readonly string Ed25519Key = "ssh-ed25519 " + Convert.ToBase64String(
        [0, 0, 0, 11, .. "ssh-ed25519"u8.ToArray(), 0, 0, 0, 32, .. Enumerable.Range(1, 32).Select(i => (byte)i)]) + " me@laptop";

    private static CustomizeSpec FullSpec() => new()
    {
        Hostname = "web-01",
        Hosts = [new HostEntry { Ip = "192.0.2.20", Hostnames = ["db-01"] }],
        Dns = new Imprint.Operator.Apis.V1Alpha1.DnsSpec { Nameservers = ["192.0.2.1"], Searches = ["example.internal"] },
        RootPassword = new Imprint.Operator.Apis.V1Alpha1.RootPasswordSpec { SecretKeyRef = new KeySelector { Name = "root-pw", Key = "password" } },
        Users =
        [
            new Imprint.Operator.Apis.V1Alpha1.UserSpec { Name = "debian", SshAuthorizedKeys = [Ed25519Key], SshAuthorizedKeysSecretRef = new KeySelector { Name = "keys", Key = "authorized_keys" } },
            new Imprint.Operator.Apis.V1Alpha1.UserSpec { Name = "admin", SshAuthorizedKeys = [Ed25519Key], Groups = ["sudo", "adm"], Shell = "/bin/zsh", Uid = 1500 },
        ],
        Timezone = "Europe/Berlin",
        Network = new Imprint.Operator.Apis.V1Alpha1.NetworkSpec { Interfaces = [new Imprint.Operator.Apis.V1Alpha1.NetworkInterfaceSpec { Name = "eth0", Dhcp4 = false, Addresses = ["192.0.2.10/24"], Gateway4 = "192.0.2.1", Mtu = 1500 }] },
        Files =
        [
            new Imprint.Operator.Apis.V1Alpha1.FileSpec { Path = "/etc/motd", Content = "hi\n", Mode = "0644", Owner = "root:root" },
            new Imprint.Operator.Apis.V1Alpha1.FileSpec { Path = "/etc/app/token", SecretRef = new KeySelector { Name = "app", Key = "token" }, Mode = "0600" },
            new Imprint.Operator.Apis.V1Alpha1.FileSpec { Path = "/etc/app/conf", ConfigMapRef = new KeySelector { Name = "app-conf", Key = "app.conf" } },
        ],
        FirstBootCommands = ["systemctl enable --now nginx"],
        MachineId = RegeneratePolicy.Keep,
    };

    [Fact]
    public void Secrets_are_named_by_relative_path_and_never_copied_into_the_spec()
    {
        var (json, files) = CloneInputs.Build(FullSpec());
        var spec = JsonNode.Parse(json)!;

        Assert.Equal("secrets/root-password", (string?)spec["rootPassword"]!["file"]);
        Assert.Equal("secrets/user-0-authorized-keys", (string?)spec["users"]![0]!["sshAuthorizedKeysFile"]);
        Assert.Equal("secrets/file-1", (string?)spec["files"]![1]!["contentFile"]);
        Assert.Equal("files/file-2", (string?)spec["files"]![2]!["contentFile"]);
        Assert.Equal(
            [
                AgentInputFile.Secret("root-pw", "password", "secrets/root-password"),
                AgentInputFile.Secret("keys", "authorized_keys", "secrets/user-0-authorized-keys"),
                AgentInputFile.Secret("app", "token", "secrets/file-1"),
                AgentInputFile.ConfigMap("app-conf", "app.conf", "files/file-2"),
            ],
            files);
        Assert.DoesNotContain("secretRef", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_agent_accepts_the_spec_the_operator_writes()
    {
        var (json, _) = CloneInputs.Build(FullSpec());
        var path = Path.Combine(Path.GetTempPath(), $"customize-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            // The agent's own loader rejects unknown keys and validates every field: this pins the two shapes together.
            var spec = CustomizationSpecLoader.Load(path);
            spec.Validate();

            Assert.Equal("web-01", spec.Hostname);
            Assert.True(spec.RegenerateSshHostKeys);
            Assert.False(spec.RegenerateMachineId);
            Assert.Equal(1500, spec.Network!.Interfaces![0].Mtu);
            Assert.Equal("secrets/root-password", spec.RootPassword!.File);
            var admin = spec.Users![1];
            Assert.Equal(("admin", 1500u, "/bin/zsh"), (admin.Name, admin.Uid, admin.Shell));
            Assert.Equal(["sudo", "adm"], admin.Groups!);
            Assert.Null(spec.Users[0].Groups);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void No_customization_still_regenerates_host_keys_and_machine_id()
    {
        var (json, files) = CloneInputs.Build(null);
        var spec = JsonNode.Parse(json)!.AsObject();

        Assert.Equal(["machineId", "sshHostKeys"], spec.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("Regenerate", (string?)spec["sshHostKeys"]);
        Assert.Empty(files);
    }

    [Fact]
    public void References_lists_every_secret_and_config_map_with_its_field() =>
        Assert.Equal(
            ["spec.customize.rootPassword.secretKeyRef", "spec.customize.users[0].sshAuthorizedKeysSecretRef", "spec.customize.files[1].secretRef", "spec.customize.files[2].configMapRef"],
            CloneInputs.References(FullSpec()).Select(r => r.Field));
}
