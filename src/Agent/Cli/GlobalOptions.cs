using System.CommandLine;

namespace Imprint.Agent.Cli;

/// <summary>Options every command accepts.</summary>
public static class GlobalOptions
{
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print the result as one JSON document instead of text",
        Recursive = true,
    };

    public static readonly Option<FileInfo?> ResultFile = new("--result-file")
    {
        Description = "Also write the JSON result (at most 4 KiB) to this file; agent Jobs use /dev/termination-log",
        Recursive = true,
    };

    public static readonly Option<ProgressMode> Progress = new("--progress")
    {
        Description = "Progress display: auto (a bar on a terminal), bar, lines (JSON lines on stderr, for Jobs), none",
        DefaultValueFactory = _ => ProgressMode.Auto,
        Recursive = true,
    };
}
