namespace Imprint.Operator.Kubernetes.Models;

/// <summary>A volume mounted into a container.</summary>
public sealed class V1VolumeMount
{
    public string Name { get; set; } = string.Empty;

    public string MountPath { get; set; } = string.Empty;

    public bool? ReadOnly { get; set; }

    public string? SubPath { get; set; }
}
