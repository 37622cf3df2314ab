namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove local mail.</summary>
public sealed class MailSpoolOperation : DeleteMatchingOperation
{
    public override string Name => "mail-spool";

    public override string Description => "Remove local mail.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/var/spool/mail/*",
        "/var/mail/*",
    ];
}
