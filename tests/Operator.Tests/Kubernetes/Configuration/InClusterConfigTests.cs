using Imprint.Operator.Kubernetes.Configuration;
using Imprint.Operator.Tests.Kubernetes.Support;

namespace Imprint.Operator.Tests.Kubernetes.Configuration;

public sealed class InClusterConfigTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static Func<string, string?> Env(string? host, string? port) =>
        name => name switch
        {
            "KUBERNETES_SERVICE_HOST" => host,
            "KUBERNETES_SERVICE_PORT" => port,
            _ => null,
        };

    [Fact]
    public async Task Loads_service_host_ca_namespace_and_follows_token_rotation()
    {
        using var authority = TestCertificates.CreateAuthority("cluster-ca");
        _folder.Write("ca.crt", authority.ExportCertificatePem());
        _folder.Write("namespace", "imprint-system");
        var tokenPath = _folder.Write("token", "token-1");
        File.SetLastWriteTimeUtc(tokenPath, DateTime.UtcNow.AddMinutes(-5));

        var config = InClusterConfig.Load(_folder.Path, Env("10.96.0.1", "443"));

        Assert.Equal(new Uri("https://10.96.0.1:443"), config.Server);
        Assert.Equal("imprint-system", config.Namespace);
        Assert.Equal(authority.Thumbprint, Assert.Single(config.CertificateAuthorities!).Thumbprint);
        Assert.Equal("token-1", (await config.Credentials!.GetCredentialAsync()).Token);

        // kubelet rotates the projected token: the next request must carry the new one.
        File.WriteAllText(tokenPath, "token-2");
        File.SetLastWriteTimeUtc(tokenPath, DateTime.UtcNow);
        Assert.Equal("token-2", (await config.Credentials.GetCredentialAsync()).Token);
    }

    [Fact]
    public void Brackets_an_ipv6_service_host()
    {
        _folder.Write("token", "t");

        var config = InClusterConfig.Load(_folder.Path, Env("fd00::1", "6443"));

        Assert.Equal("https://[fd00::1]:6443/", config.Server.ToString());
        Assert.Equal("default", config.Namespace);
    }

    [Fact]
    public void Outside_a_cluster_or_without_a_token_it_throws_clear_errors()
    {
        var noEnv = Assert.Throws<KubernetesConfigException>(() => InClusterConfig.Load(_folder.Path, Env(null, null)));
        Assert.Contains("KUBERNETES_SERVICE_HOST", noEnv.Message, StringComparison.Ordinal);

        var noToken = Assert.Throws<KubernetesConfigException>(() => InClusterConfig.Load(_folder.Path, Env("10.0.0.1", "443")));
        Assert.Contains("token", noToken.Message, StringComparison.Ordinal);
    }
}
