using System.Security.Cryptography.X509Certificates;

namespace Imprint.Operator.Kubernetes.Configuration;

/// <summary>Where the API server is, how to trust it, and how to authenticate to it.</summary>
public sealed record KubernetesClientConfiguration
{
    public required Uri Server { get; init; }

    /// <summary>Roots to trust instead of the system store; null trusts the system store.</summary>
    public X509Certificate2Collection? CertificateAuthorities { get; init; }

    public bool SkipTlsVerify { get; init; }

    /// <summary>The name to check the server certificate against instead of the host of <see cref="Server"/>.</summary>
    public string? TlsServerName { get; init; }

    public X509Certificate2? ClientCertificate { get; init; }

    public ICredentialProvider? Credentials { get; init; }

    /// <summary>The default namespace (context namespace or the service account's).</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Timeout of one request (watches are exempt).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Inside a pod (KUBERNETES_SERVICE_HOST set and a mounted service-account token) the in-cluster configuration;
    /// otherwise kubeconfig like kubectl. Naming a context always means kubeconfig.
    /// </summary>
    public static KubernetesClientConfiguration FromEnvironment(string? context = null) =>
        context is null
        && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"))
        && File.Exists(Path.Combine(InClusterConfig.DefaultServiceAccountFolder, "token"))
            ? InClusterConfig.Load()
            : KubeConfigLoader.Load(context);
}
