namespace Imprint.Operator.Kubernetes.Models;

/// <summary>One environment variable of a container.</summary>
public sealed class V1EnvVar
{
    public string Name { get; set; } = string.Empty;

    public string? Value { get; set; }
}
