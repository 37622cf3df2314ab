namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove DHCP client leases, so clones do not ask for the template's address.</summary>
public sealed class DhcpClientStateOperation : DeleteMatchingOperation
{
    public override string Name => "dhcp-client-state";

    public override string Description => "Remove DHCP client leases, so clones do not ask for the template's address.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/var/lib/dhclient/*",
        "/var/lib/dhcp/dhclient*",
        "/var/lib/dhcpcd/*",
        "/var/lib/dhcpcd5/*",
        "/var/lib/NetworkManager/dhclient-*",
        "/var/lib/NetworkManager/internal-*",
        "/var/lib/systemd/network/*",
        "/var/lib/wicked/*",
    ];
}
