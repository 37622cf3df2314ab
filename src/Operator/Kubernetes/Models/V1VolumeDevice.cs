namespace Imprint.Operator.Kubernetes.Models;

/// <summary>A block volume exposed to a container as a device.</summary>
public sealed class V1VolumeDevice
{
    public string Name { get; set; } = string.Empty;

    public string DevicePath { get; set; } = string.Empty;
}
