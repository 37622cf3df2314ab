namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove the backup copies of /etc/passwd, group, shadow and friends.</summary>
public sealed class PasswdBackupsOperation : DeleteMatchingOperation
{
    public override string Name => "passwd-backups";

    public override string Description => "Remove the backup copies of /etc/passwd, group, shadow and friends.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/etc/group-",
        "/etc/gshadow-",
        "/etc/passwd-",
        "/etc/shadow-",
        "/etc/subuid-",
        "/etc/subgid-",
    ];
}
