namespace Imprint.Operator.Kubernetes.Configuration;

/// <summary>Missing or invalid client configuration (kubeconfig, in-cluster files, exec plugin output).</summary>
public sealed class KubernetesConfigException : Exception
{
    public KubernetesConfigException(string message)
        : base(message)
    {
    }

    public KubernetesConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
