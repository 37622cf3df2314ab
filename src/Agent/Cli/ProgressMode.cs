namespace Imprint.Agent.Cli;

/// <summary>How long operations show progress.</summary>
public enum ProgressMode
{
    Auto,
    Bar,
    Lines,
    None,
}
