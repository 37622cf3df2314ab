namespace Imprint.Testing.NodeSimulator.KubeVirt;

/// <summary>What the simulated CDI assumes about storage where the real one reads StorageProfiles and CDIConfig.</summary>
public sealed record KubeVirtSimulatorOptions
{
    /// <summary>
    /// Access modes a DataVolume's <c>spec.storage</c> gets when it names none: what a StorageProfile's
    /// <c>claimPropertySets</c> would say for the class (CDI refuses the claim when the profile knows none either).
    /// </summary>
    public IReadOnlyList<string> DefaultAccessModes { get; init; } = ["ReadWriteOnce"];

    /// <summary>Volume mode a DataVolume's <c>spec.storage</c> gets when it names none (from the same StorageProfile).</summary>
    public string DefaultVolumeMode { get; init; } = "Filesystem";

    /// <summary>
    /// CDIConfig's global filesystem overhead (upstream default <c>0.06</c>): a Filesystem <c>spec.storage</c> request
    /// is rounded up to 1 MiB and grown by this fraction, as CDI's <c>GetRequiredSpace</c> does.
    /// </summary>
    public double FilesystemOverhead { get; init; } = 0.06;
}
