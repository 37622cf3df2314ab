namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove the utmp login record.</summary>
public sealed class UtmpOperation : DeleteMatchingOperation
{
    public override string Name => "utmp";

    public override string Description => "Remove the utmp login record.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/var/run/utmp",
        "/run/utmp",
    ];
}
