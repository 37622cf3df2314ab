using Imprint.Operator.Apis.V1Alpha1;

namespace Imprint.Operator.Controllers.Agent;

/// <summary>A claim the agent works on, and where its disk appears inside the container.</summary>
public sealed record AgentDisk(string VolumeName, string ClaimName, VolumeMode Mode, bool ReadOnly)
{
    public const string MountRoot = "/disks";
    public const string DeviceRoot = "/dev/disks";
    public const string ImageFileName = "disk.img";

    /// <summary>The path the agent is given: disk.img on a Filesystem volume (KubeVirt's convention), else the device.</summary>
    public string Path => Mode == VolumeMode.Block ? $"{DeviceRoot}/{VolumeName}" : $"{MountRoot}/{VolumeName}/{ImageFileName}";

    public static AgentDisk Golden(string claim, VolumeMode mode) => new("golden", claim, mode, ReadOnly: true);

    public static AgentDisk Source(string claim, VolumeMode mode) => new("source", claim, mode, ReadOnly: true);

    public static AgentDisk Target(string claim, VolumeMode mode) => new("target", claim, mode, ReadOnly: false);
}
