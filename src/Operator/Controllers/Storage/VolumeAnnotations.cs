namespace Imprint.Operator.Controllers.Storage;

/// <summary>Annotations the controllers put on the claims they make.</summary>
public static class VolumeAnnotations
{
    /// <summary>Bytes of the disk the claim holds (the claim itself asks for more on Filesystem volumes).</summary>
    public const string DiskSize = "imprint.dev/disk-size";

    /// <summary>Which attempt made the claim; a retry of a CSI clone re-provisions a claim from an older attempt.</summary>
    public const string Attempt = "imprint.dev/attempt";

    /// <summary>The strategy that populated the claim (CsiClone, Snapshot or Copy).</summary>
    public const string Strategy = "imprint.dev/clone-strategy";

    /// <summary>The node the scheduler chose for a WaitForFirstConsumer claim; a provisioner provisions there.</summary>
    public const string SelectedNode = "volume.kubernetes.io/selected-node";
}
