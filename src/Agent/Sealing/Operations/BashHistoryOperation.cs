namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove shell histories of root and users (bash, zsh, fish, ash, python, less, mysql, psql).</summary>
public sealed class BashHistoryOperation : DeleteMatchingOperation
{
    public override string Name => "bash-history";

    public override string Description => "Remove shell histories of root and users (bash, zsh, fish, ash, python, less, mysql, psql).";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/root/.bash_history",
        "/home/*/.bash_history",
        "/root/.zsh_history",
        "/home/*/.zsh_history",
        "/root/.ash_history",
        "/home/*/.ash_history",
        "/root/.history",
        "/home/*/.history",
        "/root/.local/share/fish/fish_history",
        "/home/*/.local/share/fish/fish_history",
        "/root/.python_history",
        "/home/*/.python_history",
        "/root/.lesshst",
        "/home/*/.lesshst",
        "/root/.mysql_history",
        "/home/*/.mysql_history",
        "/root/.psql_history",
        "/home/*/.psql_history",
        "/root/.viminfo",
        "/home/*/.viminfo",
    ];
}
