namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove PAM runtime data (faillock tallies, timestamps).</summary>
public sealed class PamDataOperation : DeleteMatchingOperation
{
    public override string Name => "pam-data";

    public override string Description => "Remove PAM runtime data (faillock tallies, timestamps).";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/var/run/pam_*",
        "/run/faillock/*",
        "/var/run/faillock/*",
        "/var/run/sudo/ts/*",
        "/var/lib/sudo/ts/*",
    ];
}
