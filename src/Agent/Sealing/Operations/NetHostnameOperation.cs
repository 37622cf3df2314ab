namespace Imprint.Agent.Sealing.Operations;

/// <summary>Removes HOSTNAME= and DHCP_HOSTNAME= from ifcfg files, so clones do not announce the template's name.</summary>
public sealed class NetHostnameOperation : IfcfgKeyRemovalOperation
{
    public override string Name => "net-hostname";

    public override string Description => "Remove HOSTNAME and DHCP_HOSTNAME from ifcfg network scripts.";

    protected override IReadOnlyList<string> Keys { get; } = ["HOSTNAME", "DHCP_HOSTNAME"];
}
