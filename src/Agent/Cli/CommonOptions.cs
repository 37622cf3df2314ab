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
