namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove temporary files in /tmp and /var/tmp (the directories stay).</summary>
public sealed class TmpFilesOperation : DeleteMatchingOperation
{
    public override string Name => "tmp-files";

    public override string Description => "Remove temporary files in /tmp and /var/tmp (the directories stay).";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/tmp/*",
        "/tmp/.*",
        "/var/tmp/*",
        "/var/tmp/.*",
    ];
}
