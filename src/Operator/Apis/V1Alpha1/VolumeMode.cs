namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>How a PVC exposes its disk: a file in a filesystem (<c>disk.img</c>) or a raw block device.</summary>
public enum VolumeMode
{
    Filesystem,
    Block,
}
