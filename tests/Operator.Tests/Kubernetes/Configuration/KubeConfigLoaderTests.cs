using System.Security.Cryptography.X509Certificates;
using System.Text;
using Imprint.Operator.Kubernetes.Configuration;
using Imprint.Operator.Tests.Kubernetes.Support;

namespace Imprint.Operator.Tests.Kubernetes.Configuration;

public sealed class KubeConfigLoaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Config(string currentContext, string clusters, string users, string contexts) => $"""
        apiVersion: v1
        kind: Config
        {(currentContext.Length > 0 ? $"current-context: {currentContext}" : string.Empty)}
        clusters:
        {clusters}
        users:
        {users}
        contexts:
        {contexts}
        """;

    private static string Cluster(string name, string server, string extra = "") =>
        $"- name: {name}\n  cluster:\n    server: {server}\n{extra}";

    private static string User(string name, string body) => $"- name: {name}\n  user:\n{body}";

    private static string Context(string name, string cluster, string user, string? ns = null) =>
        $"- name: {name}\n  context:\n    cluster: {cluster}\n    user: {user}\n" + (ns is null ? string.Empty : $"    namespace: {ns}\n");

    [Fact]
    public void Loads_ca_data_and_rsa_client_certificate_data()
    {
        using var authority = TestCertificates.CreateAuthority("kube-ca");
        var (certificatePem, keyPem) = TestCertificates.CreateClientPem("admin", ec: false);
        var path = _folder.Write("config", Config(
            "main",
            Cluster("c1", "https://10.0.0.1:6443", $"    certificate-authority-data: {B64(authority.ExportCertificatePem())}\n"),
            User("admin", $"    client-certificate-data: {B64(certificatePem)}\n    client-key-data: {B64(keyPem)}\n"),
            Context("main", "c1", "admin", "imprint-system")));

        var config = KubeConfigLoader.Load(kubeconfigEnv: path);

        Assert.Equal(new Uri("https://10.0.0.1:6443"), config.Server);
        Assert.Equal("imprint-system", config.Namespace);
        Assert.Equal(authority.Thumbprint, Assert.Single(config.CertificateAuthorities!).Thumbprint);
        Assert.NotNull(config.ClientCertificate);
        Assert.True(config.ClientCertificate.HasPrivateKey);
        Assert.Equal("CN=admin", config.ClientCertificate.Subject);
        Assert.Null(config.Credentials);
        Assert.False(config.SkipTlsVerify);
    }

    [Fact]
    public void Loads_ec_client_certificate_and_ca_from_files_relative_to_the_kubeconfig_folder()
    {
        using var authority = TestCertificates.CreateAuthority("file-ca");
        var (certificatePem, keyPem) = TestCertificates.CreateClientPem("ec-user", ec: true);
        _folder.Write("kube/pki/ca.crt", authority.ExportCertificatePem());
        _folder.Write("kube/pki/client.crt", certificatePem);
        _folder.Write("kube/pki/client.key", keyPem);
        var path = _folder.Write("kube/config", Config(
            "main",
            Cluster("c1", "https://k8s.example:6443", "    certificate-authority: pki/ca.crt\n"),
            User("u", "    client-certificate: pki/client.crt\n    client-key: pki/client.key\n"),
            Context("main", "c1", "u")));

        var config = KubeConfigLoader.Load(kubeconfigEnv: path);

        Assert.Equal(authority.Thumbprint, Assert.Single(config.CertificateAuthorities!).Thumbprint);
        Assert.NotNull(config.ClientCertificate);
        Assert.True(config.ClientCertificate.HasPrivateKey);
        Assert.NotNull(config.ClientCertificate.GetECDsaPrivateKey());
        Assert.Equal("default", config.Namespace);
    }

    [Fact]
    public async Task Token_user_gets_a_static_bearer_token()
    {
        var path = _folder.Write("config", Config("main", Cluster("c1", "https://a:6443"), User("u", "    token: abc.def\n"), Context("main", "c1", "u")));

        var config = KubeConfigLoader.Load(kubeconfigEnv: path);

        var credential = await config.Credentials!.GetCredentialAsync();
        Assert.Equal("abc.def", credential.Token);
    }

    [Fact]
    public async Task TokenFile_user_re_reads_the_file_when_its_modification_time_changes()
    {
        var tokenPath = _folder.Write("secrets/token", "first\n");
        File.SetLastWriteTimeUtc(tokenPath, DateTime.UtcNow.AddMinutes(-10));
        var path = _folder.Write("config", Config("main", Cluster("c1", "https://a:6443"), User("u", "    tokenFile: secrets/token\n"), Context("main", "c1", "u")));
        var config = KubeConfigLoader.Load(kubeconfigEnv: path);
        var provider = Assert.IsType<TokenFileProvider>(config.Credentials);
        Assert.Equal(tokenPath, provider.Path);

        Assert.Equal("first", (await provider.GetCredentialAsync()).Token);
        File.WriteAllText(tokenPath, "second");
        File.SetLastWriteTimeUtc(tokenPath, DateTime.UtcNow);

        Assert.Equal("second", (await provider.GetCredentialAsync()).Token);
    }

    [Fact]
    public void Merged_kubeconfig_takes_current_context_from_the_first_file_and_the_first_definition_of_each_name()
    {
        var first = _folder.Write("a/config", Config(
            "ctx-b",
            Cluster("shared", "https://first:6443"),
            User("u1", "    token: one\n"),
            Context("ctx-a", "shared", "u1")));
        var second = _folder.Write("b/config", Config(
            "ctx-a",
            Cluster("shared", "https://second:6443") + Cluster("only-b", "https://only-b:6443"),
            User("u1", "    token: two\n"),
            Context("ctx-b", "only-b", "u1", "from-b") + Context("ctx-a", "only-b", "u1")));

        var config = KubeConfigLoader.Load(kubeconfigEnv: $"{first}:{_folder.Path}/missing:{second}");

        // current-context ctx-b comes from the first file, its definition from the second.
        Assert.Equal(new Uri("https://only-b:6443"), config.Server);
        Assert.Equal("from-b", config.Namespace);

        var overridden = KubeConfigLoader.Load(context: "ctx-a", kubeconfigEnv: $"{first}:{second}");

        // ctx-a and cluster "shared" are defined in both; the first file wins.
        Assert.Equal(new Uri("https://first:6443"), overridden.Server);
    }

    [Fact]
    public async Task Current_context_comes_from_a_later_file_when_the_first_sets_none()
    {
        var first = _folder.Write("a/config", Config(string.Empty, Cluster("c1", "https://one:6443"), User("u", "    token: first-token\n"), Context("main", "c1", "u")));
        var second = _folder.Write("b/config", Config("main", Cluster("c1", "https://two:6443"), User("u", "    token: second-token\n"), Context("other", "c1", "u")));

        var config = KubeConfigLoader.Load(kubeconfigEnv: $"{first}:{second}");

        Assert.Equal(new Uri("https://one:6443"), config.Server);
        Assert.Equal("first-token", (await config.Credentials!.GetCredentialAsync()).Token);
    }

    [Fact]
    public void Reads_insecure_skip_tls_verify_and_tls_server_name()
    {
        var path = _folder.Write("config", Config(
            "main",
            Cluster("c1", "https://10.1.2.3:6443", "    insecure-skip-tls-verify: true\n    tls-server-name: kubernetes.default\n"),
            User("u", "    token: t\n"),
            Context("main", "c1", "u")));

        var config = KubeConfigLoader.Load(kubeconfigEnv: path);

        Assert.True(config.SkipTlsVerify);
        Assert.Equal("kubernetes.default", config.TlsServerName);
        Assert.Null(config.CertificateAuthorities);
    }

    [Fact]
    public void Uses_home_kube_config_when_KUBECONFIG_is_empty()
    {
        _folder.Write(".kube/config", Config("main", Cluster("c1", "https://home:6443"), User("u", "    token: t\n"), Context("main", "c1", "u")));

        var config = KubeConfigLoader.Load(kubeconfigEnv: string.Empty, home: _folder.Path);

        Assert.Equal(new Uri("https://home:6443"), config.Server);
    }

    [Fact]
    public void Missing_files_unknown_contexts_and_bad_data_throw_clear_errors()
    {
        var missing = Assert.Throws<KubernetesConfigException>(() => KubeConfigLoader.Load(kubeconfigEnv: _folder.Path + "/nope"));
        Assert.Contains("No kubeconfig found", missing.Message, StringComparison.Ordinal);

        var path = _folder.Write("config", Config("main", Cluster("c1", "https://a:6443"), User("u", "    token: t\n"), Context("main", "c1", "u")));
        var unknown = Assert.Throws<KubernetesConfigException>(() => KubeConfigLoader.Load(context: "prod", kubeconfigEnv: path));
        Assert.Contains("Context 'prod'", unknown.Message, StringComparison.Ordinal);

        var bad = _folder.Write("bad", Config("main", Cluster("c1", "https://a:6443", "    certificate-authority-data: '%%%'\n"), User("u", "    token: t\n"), Context("main", "c1", "u")));
        var invalid = Assert.Throws<KubernetesConfigException>(() => KubeConfigLoader.Load(kubeconfigEnv: bad));
        Assert.Contains("certificate-authority-data is not valid base64", invalid.Message, StringComparison.Ordinal);

        var halfCert = _folder.Write("half", Config("main", Cluster("c1", "https://a:6443"), User("u", $"    client-certificate-data: {B64("x")}\n"), Context("main", "c1", "u")));
        Assert.Throws<KubernetesConfigException>(() => KubeConfigLoader.Load(kubeconfigEnv: halfCert));
    }
}
