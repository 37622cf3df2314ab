namespace Imprint.Operator.Controllers.Storage;

/// <summary>
/// What a StorageClass can do with a claim's dataSource, like CDI's StorageProfile: whether it fills a new claim from a
/// PVC (CSI clone) or from a VolumeSnapshot (restore). A null reason means it can; else the reason says why not.
/// </summary>
public sealed record StorageClassCapabilities(string? CannotClone, string? CannotRestoreSnapshot)
{
    public static StorageClassCapabilities Capable { get; } = new(null, null);
}
