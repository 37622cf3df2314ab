using System.CommandLine;
using Imprint.Agent.Errors;
using Imprint.Agent.Units;

namespace Imprint.Agent.Cli;

/// <summary>Options shared by several commands, with their parsing.</summary>
public static class CommonOptions
{
    public static Option<string?> Size(string description) => new("--size") { Description = description };

    public static Option<string?> Partition() => new("--partition")
    {
        Description = "Partition to grow: a number, or 'auto' (default) for the guest's root partition",
    };

    public static Option<bool> Overwrite() => new("--overwrite")
    {
        Description = "Replace an existing target file (written as TARGET.partial, then renamed; a block device is written in place)",
    };

    public static Option<string> SourceFormat() => new("--source-format")
    {
        Description = "'auto' (default): detect the source's format from its first bytes; 'raw': copy it as raw bytes, never read as another format",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>True for <c>--source-format raw</c>; false for <c>auto</c>.</summary>
    public static bool ParseSourceIsRaw(string? text) => text switch
    {
        null or "auto" => false,
        "raw" => true,
        _ => throw ImprintException.Usage($"--source-format '{text}' is neither 'auto' nor 'raw'"),
    };

    public static long? ParseSize(string? text) => text is null ? null : ByteSize.Parse(text);

    public static int? ParsePartition(string? text)
    {
        if (text is null || text.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw ImprintException.Usage($"--partition '{text}' is neither 'auto' nor a partition number");
    }
}
