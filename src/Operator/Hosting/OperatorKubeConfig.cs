using k8s;

namespace Imprint.Operator.Hosting;

/// <summary>Where the operator finds its API server: the library's configuration loaders, with our request timeout.</summary>
public static class OperatorKubeConfig
{
    /// <summary>Timeout of one request (watches are exempt): long enough for a slow apiserver, short enough to retry.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Inside a pod the service account (in-cluster); otherwise kubeconfig like kubectl (KUBECONFIG, ~/.kube/config,
    /// exec credential plugins included). Naming a context always means kubeconfig.
    /// </summary>
    public static KubernetesClientConfiguration Load(string? context = null)
    {
        var configuration = context is null
            ? KubernetesClientConfiguration.BuildDefaultConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(currentContext: context);
        configuration.HttpClientTimeout = RequestTimeout;
        return configuration;
    }
}
