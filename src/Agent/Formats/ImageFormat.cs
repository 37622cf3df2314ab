namespace Imprint.Agent.Formats;

/// <summary>Container formats a source image may come in. Raw is what lands on a PVC (the KubeVirt/CDI convention).</summary>
public enum ImageFormat
{
    Raw,
    Qcow2,
    Vmdk,
    Vhdx,
    Vdi,
    Vpc,
    Gzip,
    Xz,
}
