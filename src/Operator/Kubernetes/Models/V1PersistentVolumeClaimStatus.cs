namespace Imprint.Operator.Kubernetes.Models;

/// <summary>status of a PersistentVolumeClaim.</summary>
public sealed class V1PersistentVolumeClaimStatus
{
    public string? Phase { get; set; }

    public IList<string>? AccessModes { get; set; }

    public IDictionary<string, string>? Capacity { get; set; }
}
