using System.Globalization;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Units;

/// <summary>
/// Parses and formats sizes. "20G", "20GiB" and "20Gi" are binary (as qemu-img, virt-resize and Kubernetes' Gi);
/// "20GB" and Kubernetes' plain "20G" differ: here "G" means GiB like every disk tool, and the operator converts
/// Kubernetes quantities itself before calling the agent.
/// </summary>
public static class ByteSize
{
    private static readonly (string Suffix, long Factor)[] Suffixes =
    [
        ("TiB", 1L << 40), ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10),
        ("Ti", 1L << 40), ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10),
        ("TB", 1_000_000_000_000), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("kB", 1_000),
        ("T", 1L << 40), ("G", 1L << 30), ("M", 1L << 20), ("K", 1L << 10), ("k", 1L << 10),
        ("B", 1),
    ];

    public static long Parse(string text)
    {
        var trimmed = text.Trim();
        foreach (var (suffix, factor) in Suffixes)
        {
            if (trimmed.EndsWith(suffix, StringComparison.Ordinal))
            {
                return Scale(trimmed[..^suffix.Length], factor, text);
            }
        }

        return Scale(trimmed, 1, text);
    }

    /// <summary>Human form with binary units: "1.5 GiB", "512 B".</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.##} {units[unit]}");
    }

    private static long Scale(string number, long factor, string original)
    {
        if (!decimal.TryParse(number.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw ImprintException.Usage($"'{original}' is not a size; use e.g. 20G, 512M, 10GiB or a number of bytes");
        }

        try
        {
            return checked((long)decimal.Round(value * factor));
        }
        catch (OverflowException)
        {
            throw ImprintException.Usage($"size '{original}' is too large");
        }
    }
}
