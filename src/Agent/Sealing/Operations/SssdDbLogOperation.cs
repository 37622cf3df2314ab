namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove SSSD's caches and logs.</summary>
public sealed class SssdDbLogOperation : DeleteMatchingOperation
{
    public override string Name => "sssd-db-log";

    public override string Description => "Remove SSSD's caches and logs.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/var/lib/sss/db/*",
        "/var/log/sssd/*",
    ];
}
