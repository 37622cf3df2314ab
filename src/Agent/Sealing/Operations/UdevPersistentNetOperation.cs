namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove udev rules that pin NIC names to the template's MAC addresses.</summary>
public sealed class UdevPersistentNetOperation : DeleteMatchingOperation
{
    public override string Name => "udev-persistent-net";

    public override string Description => "Remove udev rules that pin NIC names to the template's MAC addresses.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/etc/udev/rules.d/70-persistent-net.rules",
        "/etc/udev/rules.d/75-persistent-net-generator.rules",
    ];
}
