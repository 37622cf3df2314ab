namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove the blkid cache, which records the template's devices.</summary>
public sealed class BlkidTabOperation : DeleteMatchingOperation
{
    public override string Name => "blkid-tab";

    public override string Description => "Remove the blkid cache, which records the template's devices.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/var/run/blkid.tab",
        "/var/run/blkid.tab.old",
        "/etc/blkid/blkid.tab",
        "/etc/blkid/blkid.tab.old",
        "/etc/blkid.tab",
        "/etc/blkid.tab.old",
        "/dev/.blkid.tab",
        "/dev/.blkid.tab.old",
    ];
}
