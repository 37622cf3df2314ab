using System.Text.Json.Nodes;
using Imprint.Operator.Kubernetes.Configuration;
using Imprint.Operator.Tests.Kubernetes.Support;

namespace Imprint.Operator.Tests.Kubernetes.Configuration;

public sealed class ExecCredentialProviderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A plugin that logs each run (argument and env) to a counter file and prints token "tok-N".</summary>
    private string WritePlugin(string relativePath, string expiry)
    {
        var script = _folder.Write(relativePath, $$$"""
            #!/bin/bash
            set -eu
            echo "$1 $PLUGIN_ENV" >> "$COUNTER_FILE"
            n=$(wc -l < "$COUNTER_FILE")
            printf '%s' "$KUBERNETES_EXEC_INFO" > "$COUNTER_FILE.info"
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok-%s","expirationTimestamp":"{{{expiry}}}"}}\n' "$n"
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    [Fact]
    public async Task Kubeconfig_exec_plugin_runs_once_with_args_env_and_exec_info_while_the_token_is_valid()
    {
        WritePlugin("bin/plugin.sh", "2999-01-01T00:00:00Z");
        var counter = Path.Combine(_folder.Path, "runs.txt");
        var path = _folder.Write("config", $"""
            apiVersion: v1
            kind: Config
            current-context: main
            clusters:
            - name: c1
              cluster:
                server: https://a:6443
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: ./bin/plugin.sh
                  args: [get-token]
                  env:
                  - name: PLUGIN_ENV
                    value: from-kubeconfig
                  - name: COUNTER_FILE
                    value: {counter}
            contexts:
            - name: main
              context:
                cluster: c1
                user: u
            """);

        var config = KubeConfigLoader.Load(kubeconfigEnv: path);
        var first = await config.Credentials!.GetCredentialAsync();
        var second = await config.Credentials.GetCredentialAsync();

        Assert.Equal("tok-1", first.Token);
        Assert.Equal("tok-1", second.Token);
        Assert.Equal(["get-token from-kubeconfig"], File.ReadAllLines(counter));
        var info = JsonNode.Parse(File.ReadAllText(counter + ".info"))!;
        Assert.Equal("client.authentication.k8s.io/v1beta1", (string?)info["apiVersion"]);
        Assert.Equal("ExecCredential", (string?)info["kind"]);
        Assert.Equal(new DateTimeOffset(2999, 1, 1, 0, 0, 0, TimeSpan.Zero), first.ExpiresAt);
    }

    [Fact]
    public async Task Runs_again_only_after_the_expiration_timestamp_passes()
    {
        var script = WritePlugin("plugin.sh", "2030-01-01T00:00:00Z");
        var counter = Path.Combine(_folder.Path, "runs.txt");
        var clock = new ManualTimeProvider(new DateTimeOffset(2029, 12, 31, 23, 0, 0, TimeSpan.Zero));
        var provider = new ExecCredentialProvider(script, ["x"], new Dictionary<string, string> { ["COUNTER_FILE"] = counter, ["PLUGIN_ENV"] = "e" }, timeProvider: clock);

        Assert.Equal("tok-1", (await provider.GetCredentialAsync()).Token);
        clock.Now = clock.Now.AddMinutes(59);
        Assert.Equal("tok-1", (await provider.GetCredentialAsync()).Token);
        Assert.Single(File.ReadAllLines(counter));

        clock.Now = clock.Now.AddMinutes(2);
        Assert.Equal("tok-2", (await provider.GetCredentialAsync()).Token);
        Assert.Equal(2, File.ReadAllLines(counter).Length);

        provider.Invalidate();
        Assert.Equal("tok-3", (await provider.GetCredentialAsync()).Token);
    }

    [Fact]
    public async Task Parses_client_certificate_data_from_the_plugin()
    {
        var (certificatePem, keyPem) = TestCertificates.CreateClientPem("exec-user", ec: true);
        var status = new JsonObject { ["clientCertificateData"] = certificatePem, ["clientKeyData"] = keyPem };
        var json = new JsonObject { ["apiVersion"] = "client.authentication.k8s.io/v1", ["kind"] = "ExecCredential", ["status"] = status };
        _folder.Write("credential.json", json.ToJsonString());
        var script = _folder.Write("plugin.sh", $"#!/bin/bash\ncat '{_folder.Path}/credential.json'\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var provider = new ExecCredentialProvider(script, [], new Dictionary<string, string>());

        var credential = await provider.GetCredentialAsync();

        Assert.Null(credential.Token);
        Assert.NotNull(credential.ClientCertificate);
        Assert.True(credential.ClientCertificate.HasPrivateKey);
        Assert.Equal("CN=exec-user", credential.ClientCertificate.Subject);
        Assert.Null(credential.ExpiresAt);
    }

    [Fact]
    public async Task A_failing_plugin_throws_with_its_exit_code_and_stderr()
    {
        var script = _folder.Write("plugin.sh", "#!/bin/bash\necho 'login required' >&2\nexit 3\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var provider = new ExecCredentialProvider(script, [], new Dictionary<string, string>());

        var error = await Assert.ThrowsAsync<KubernetesConfigException>(async () => await provider.GetCredentialAsync());

        Assert.Contains("exited with code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("login required", error.Message, StringComparison.Ordinal);
    }
}
