namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove Dovecot's data.</summary>
public sealed class DovecotDataOperation : DeleteMatchingOperation
{
    public override string Name => "dovecot-data";

    public override string Description => "Remove Dovecot's data.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/var/lib/dovecot/*",
    ];
}
