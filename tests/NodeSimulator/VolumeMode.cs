namespace Imprint.Testing.NodeSimulator;

/// <summary>A PVC's <c>spec.volumeMode</c>: a folder the agent writes <c>disk.img</c> into, or a raw block device.</summary>
public enum VolumeMode
{
    Filesystem,
    Block,
}
