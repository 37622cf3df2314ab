namespace Imprint.Operator.Kubernetes.Models;

/// <summary>Projects one key of a Secret or ConfigMap to a file path.</summary>
public sealed class V1KeyToPath
{
    public string Key { get; set; } = string.Empty;

    public string Path { get; set; } = string.Empty;

    public int? Mode { get; set; }
}
