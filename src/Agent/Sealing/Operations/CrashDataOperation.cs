namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove kernel crash dumps and core files.</summary>
public sealed class CrashDataOperation : DeleteMatchingOperation
{
    public override string Name => "crash-data";

    public override string Description => "Remove kernel crash dumps and core files.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/var/crash/*",
        "/var/log/dump/*",
        "/var/lib/systemd/coredump/*",
    ];
}
