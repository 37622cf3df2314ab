namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove process accounting logs.</summary>
public sealed class PacctLogOperation : DeleteMatchingOperation
{
    public override string Name => "pacct-log";

    public override string Description => "Remove process accounting logs.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/var/account/pacct*",
        "/var/log/account/pacct*",
        "/var/log/pacct*",
    ];
}
