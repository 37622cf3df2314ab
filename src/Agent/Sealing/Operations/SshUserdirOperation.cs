namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove users' ~/.ssh directories (authorized keys, known hosts).</summary>
public sealed class SshUserdirOperation : DeleteMatchingOperation
{
    public override string Name => "ssh-userdir";

    public override string Description => "Remove users' ~/.ssh directories (authorized keys, known hosts).";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/root/.ssh",
        "/home/*/.ssh",
    ];
}
