namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove NetworkManager connection profiles bound to the template's NICs.</summary>
public sealed class NetNmconnOperation : DeleteMatchingOperation
{
    public override string Name => "net-nmconn";

    public override string Description => "Remove NetworkManager connection profiles bound to the template's NICs.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/etc/NetworkManager/system-connections/*.nmconnection",
        "/etc/NetworkManager/system-connections/*.nmconnection~",
    ];
}
