using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Imprint.Operator.Kubernetes.Configuration;

/// <summary>The configuration of a pod talking to its own cluster: service env vars plus the service-account files.</summary>
public static class InClusterConfig
{
    public const string DefaultServiceAccountFolder = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static KubernetesClientConfiguration Load(string serviceAccountFolder = DefaultServiceAccountFolder) =>
        Load(serviceAccountFolder, Environment.GetEnvironmentVariable);

    internal static KubernetesClientConfiguration Load(string serviceAccountFolder, Func<string, string?> environment)
    {
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubernetesConfigException("Not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set.");
        }

        if (IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            host = $"[{host}]";
        }

        var tokenPath = Path.Combine(serviceAccountFolder, "token");
        var caPath = Path.Combine(serviceAccountFolder, "ca.crt");
        if (!File.Exists(tokenPath))
        {
            throw new KubernetesConfigException($"Service-account token '{tokenPath}' does not exist (is automountServiceAccountToken off?).");
        }

        X509Certificate2Collection? authorities = null;
        if (File.Exists(caPath))
        {
            authorities = [];
            try
            {
                authorities.ImportFromPemFile(caPath);
            }
            catch (CryptographicException e)
            {
                throw new KubernetesConfigException($"Service-account CA '{caPath}' is not valid PEM: {e.Message}", e);
            }
        }

        var namespacePath = Path.Combine(serviceAccountFolder, "namespace");
        var ns = File.Exists(namespacePath) ? File.ReadAllText(namespacePath).Trim() : string.Empty;
        return new KubernetesClientConfiguration
        {
            Server = new Uri($"https://{host}:{port}"),
            CertificateAuthorities = authorities,
            Credentials = new TokenFileProvider(tokenPath),
            Namespace = ns.Length > 0 ? ns : "default",
        };
    }
}
