namespace Imprint.Agent.Sealing.Operations;

/// <summary>Removes HWADDR= from ifcfg files, so the config applies to the clone's new NIC.</summary>
public sealed class NetHwaddrOperation : IfcfgKeyRemovalOperation
{
    public override string Name => "net-hwaddr";

    public override string Description => "Remove HWADDR (the template's MAC address) from ifcfg network scripts.";

    protected override IReadOnlyList<string> Keys { get; } = ["HWADDR"];
}
