namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove Samba's state databases and logs.</summary>
public sealed class SambaDbLogOperation : DeleteMatchingOperation
{
    public override string Name => "samba-db-log";

    public override string Description => "Remove Samba's state databases and logs.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/var/lib/samba/*/*",
        "/var/log/samba/*",
    ];
}
