namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove the SSH host keys; clones get new ones (generated offline by 'imprint customize').</summary>
public sealed class SshHostKeysOperation : DeleteMatchingOperation
{
    public override string Name => "ssh-hostkeys";

    public override string Description => "Remove the SSH host keys; clones get new ones (generated offline by 'imprint customize').";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/etc/ssh/ssh_host_*",
    ];
}
