namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove users' at and cron jobs.</summary>
public sealed class CronSpoolOperation : DeleteMatchingOperation
{
    public override string Name => "cron-spool";

    public override string Description => "Remove users' at and cron jobs.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/var/spool/cron/*",
        "/var/spool/cron/crontabs/*",
        "/var/spool/at/*",
        "/var/spool/at/.SEQ",
        "/var/spool/at/spool/*",
        "/var/spool/atjobs/*",
        "/var/spool/atspool/*",
    ];
}
