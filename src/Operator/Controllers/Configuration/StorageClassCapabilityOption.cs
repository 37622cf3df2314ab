namespace Imprint.Operator.Controllers.Configuration;

/// <summary>One StorageClass's capabilities as the administrator states them; null leaves the operator's own judgement.</summary>
public sealed class StorageClassCapabilityOption
{
    /// <summary>Whether a claim with a PVC dataSource in this class is a real copy of it (CSI clone).</summary>
    public bool? Clone { get; set; }

    /// <summary>Whether a claim with a VolumeSnapshot dataSource in this class is a real restore of it.</summary>
    public bool? Snapshot { get; set; }
}
