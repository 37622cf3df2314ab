using System.ComponentModel;

namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>What the agent learned about the guest on the disk.</summary>
[Description("What the agent found on the disk.")]
public sealed class ImageInspection
{
    [Description("Operating system family, e.g. linux.")]
    public string? Os { get; set; }

    [Description("Distribution, e.g. debian, ubuntu, fedora.")]
    public string? Distro { get; set; }

    [Description("Distribution version, e.g. 12.")]
    public string? Version { get; set; }

    [Description("CPU architecture, e.g. x86_64 or aarch64.")]
    public string? Arch { get; set; }

    [Description("Host name configured in the image.")]
    public string? Hostname { get; set; }

    [Description("Number of the partition holding the root filesystem.")]
    public int? RootPartition { get; set; }

    [Description("Partitions of the disk.")]
    public IList<PartitionInspection>? Partitions { get; set; }

    [Description("Package format, e.g. deb or rpm.")]
    public string? PackageFormat { get; set; }

    [Description("Init system, e.g. systemd.")]
    public string? InitSystem { get; set; }

    [Description("How the guest configures its network, e.g. netplan, ifupdown, networkmanager, systemd-networkd.")]
    public string? NetworkStyle { get; set; }

    [Description("Whether cloud-init is installed.")]
    public bool? CloudInit { get; set; }
}
