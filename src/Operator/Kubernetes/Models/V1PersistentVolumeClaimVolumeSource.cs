namespace Imprint.Operator.Kubernetes.Models;

/// <summary>A pod volume backed by a claim.</summary>
public sealed class V1PersistentVolumeClaimVolumeSource
{
    public string ClaimName { get; set; } = string.Empty;

    public bool? ReadOnly { get; set; }
}
