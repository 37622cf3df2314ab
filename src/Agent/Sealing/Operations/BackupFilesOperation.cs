namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove editor backup files (*~, *.bak, *.orig, *.rej, #*#) from /etc and /root.</summary>
public sealed class BackupFilesOperation : DeleteMatchingOperation
{
    public override string Name => "backup-files";

    public override string Description => "Remove editor backup files (*~, *.bak, *.orig, *.rej, #*#) from /etc and /root.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/etc/**/*~",
        "/etc/**/*.bak",
        "/etc/**/*.orig",
        "/etc/**/*.rej",
        "/etc/**/#*#",
        "/root/*~",
        "/root/*.bak",
    ];
}
