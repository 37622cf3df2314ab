namespace Imprint.Agent.Cli;

/// <summary>What a command body gets from the runner: where to send progress and human notes.</summary>
public sealed class CommandContext(TextWriter log, ProgressMode progressMode, string? planStep = null)
{
    /// <summary>Human notes (stderr), never mixed into --json output.</summary>
    public TextWriter Log { get; } = log;

    public ProgressMode ProgressMode { get; } = progressMode;

    public ProgressRenderer? CreateProgress(string stage) =>
        ProgressMode is ProgressMode.Bar or ProgressMode.Lines ? new ProgressRenderer(Log, ProgressMode, stage, planStep) : null;
}
