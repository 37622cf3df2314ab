namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove DHCP server leases.</summary>
public sealed class DhcpServerStateOperation : DeleteMatchingOperation
{
    public override string Name => "dhcp-server-state";

    public override string Description => "Remove DHCP server leases.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/var/lib/dhcp/dhcpd.leases*",
        "/var/lib/dhcp/dhcpd6.leases*",
        "/var/lib/dhcpd/*",
        "/var/lib/kea/*.csv",
        "/var/lib/misc/dnsmasq.leases",
    ];
}
