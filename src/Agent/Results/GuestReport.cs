namespace Imprint.Agent.Results;

/// <summary>What inspection found about the guest operating system (virt-inspector's core facts).</summary>
public sealed record GuestReport
{
    public string Os { get; init; } = "unknown";

    public string? Distro { get; init; }

    public string? Version { get; init; }

    public string? Family { get; init; }

    public string? ProductName { get; init; }

    public string? Arch { get; init; }

    public string? Hostname { get; init; }

    public int? RootPartition { get; init; }

    /// <summary>"vg/lv" when the root filesystem is an LVM logical volume (on partition <see cref="RootPartition"/>).</summary>
    public string? RootLogicalVolume { get; init; }

    public string? InitSystem { get; init; }

    public string? PackageFormat { get; init; }

    public string? NetworkStyle { get; init; }

    public bool CloudInit { get; init; }

    public IReadOnlyList<MountReport>? Mounts { get; init; }
}
