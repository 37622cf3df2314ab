namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove LVM's devices file, which names the template's disks.</summary>
public sealed class LvmSystemDevicesOperation : DeleteMatchingOperation
{
    public override string Name => "lvm-system-devices";

    public override string Description => "Remove LVM's devices file, which names the template's disks.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/etc/lvm/devices/system.devices",
    ];
}
