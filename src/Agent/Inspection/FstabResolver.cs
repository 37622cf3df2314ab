using System.Text.RegularExpressions;

namespace Imprint.Agent.Inspection;

/// <summary>Maps fstab device specs (UUID=, LABEL=, PARTUUID=, PARTLABEL=, /dev/disk/by-*, /dev/sdaN…) to partition numbers.</summary>
public static partial class FstabResolver
{
    public static int? Resolve(string spec, IReadOnlyList<PartitionIdentity> partitions)
    {
        static int? By(IReadOnlyList<PartitionIdentity> parts, Func<PartitionIdentity, string?> key, string value) =>
            parts.FirstOrDefault(p => string.Equals(key(p), value, StringComparison.OrdinalIgnoreCase))?.Number;

        var (kind, value) = Split(spec);
        return kind switch
        {
            "UUID" => By(partitions, p => p.FilesystemUuid, value),
            "LABEL" => By(partitions, p => p.FilesystemLabel, value),
            "PARTUUID" => By(partitions, p => p.PartitionUuid, value),
            "PARTLABEL" => By(partitions, p => p.PartitionLabel, value),
            "DEV" => DeviceNumber(value) is { } n && partitions.Any(p => p.Number == n) ? n : null,
            _ => null,
        };
    }

    private static (string Kind, string Value) Split(string spec)
    {
        foreach (var prefix in new[] { "UUID", "LABEL", "PARTUUID", "PARTLABEL" })
        {
            if (spec.StartsWith(prefix + "=", StringComparison.Ordinal))
            {
                return (prefix, spec[(prefix.Length + 1)..].Trim('"'));
            }
        }

        foreach (var (folder, kind) in new[] { ("/dev/disk/by-uuid/", "UUID"), ("/dev/disk/by-label/", "LABEL"), ("/dev/disk/by-partuuid/", "PARTUUID"), ("/dev/disk/by-partlabel/", "PARTLABEL") })
        {
            if (spec.StartsWith(folder, StringComparison.Ordinal))
            {
                return (kind, spec[folder.Length..]);
            }
        }

        return spec.StartsWith("/dev/", StringComparison.Ordinal) ? ("DEV", spec) : ("OTHER", spec);
    }

    /// <summary>The partition number of /dev/sda2, /dev/vda2, /dev/xvda2, /dev/nvme0n1p2, /dev/mmcblk0p2, /dev/hda2.</summary>
    private static int? DeviceNumber(string device)
    {
        var match = DevicePattern().Match(device);
        return match.Success ? int.Parse(match.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"^/dev/(?:(?:[svh]|xv)d[a-z]+(?<n>\d+)|(?:nvme\d+n\d+|mmcblk\d+|loop\d+)p(?<n>\d+))$")]
    private static partial Regex DevicePattern();
}
