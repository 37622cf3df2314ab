using System.Globalization;
using System.Text;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.TestGuests;

/// <summary>
/// The matrix's oracle: one read-only appliance launch that runs each filesystem's own checker unmounted
/// (<c>xfs_repair -n</c> and <c>btrfs check</c> in the appliance, <c>e2fsck -fn</c> on the host at the partition's offset), asks libguestfs' inspection for the
/// root and distro, mounts the guest read-only and reads files, modes, links, folders, sizes and the LVM metadata —
/// none of it through our code.
/// </summary>
public sealed record GuestReadBack
{
    private const string Marker = "@@imprint-readback ";

    public required string? InspectedRoot { get; init; }

    public required string? InspectedDistro { get; init; }

    /// <summary>One line per checker that did not exit 0, with its output.</summary>
    public required IReadOnlyList<string> CheckerProblems { get; init; }

    /// <summary>Guest path → content, null when the path does not exist.</summary>
    public required IReadOnlyDictionary<string, string?> Files { get; init; }

    /// <summary>Guest path → (mode bits incl. type, uid, gid), absent when the path does not exist.</summary>
    public required IReadOnlyDictionary<string, (int Mode, int Uid, int Gid)> Stats { get; init; }

    /// <summary>Guest path → symlink target, null when not a link.</summary>
    public required IReadOnlyDictionary<string, string?> Links { get; init; }

    /// <summary>Guest folder → names in it (empty when missing).</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Listings { get; init; }

    /// <summary>Glob pattern → every matching file's content, concatenated (empty when nothing matches).</summary>
    public required IReadOnlyDictionary<string, string> GlobContents { get; init; }

    /// <summary>Bytes of the root filesystem (statvfs blocks × fragment size on the mounted root).</summary>
    public required long RootFileSystemBytes { get; init; }

    /// <summary>Bytes of the device holding the root filesystem (partition or LV).</summary>
    public required long RootDeviceBytes { get; init; }

    /// <summary><c>lvm pvs</c> and <c>lvm lvs</c> in bytes, for LVM guests.</summary>
    public required string Lvm { get; init; }

    /// <summary>guestfish prints each result followed by a newline of its own; this drops it.</summary>
    private static string Printed(string text) => text.EndsWith('\n') ? text[..^1] : text;

    public static GuestReadBack Run(
        TestGuest guest,
        string image,
        IEnumerable<string> files,
        IEnumerable<string>? stats = null,
        IEnumerable<string>? links = null,
        IEnumerable<string>? listings = null,
        IEnumerable<string>? globs = null)
    {
        var script = new List<string>();
        foreach (var (device, fileSystem) in guest.FileSystems)
        {
            // libguestfs' own checker calls, not `debug sh`: a shell sees the appliance kernel's device names, which
            // under heavy load can put the guest on /dev/sdb (its own disk probed first); the API translates /dev/sda.
            // xfs-repair prints its exit status (0 clean, 1 corrupt); btrfs-fsck (read-only without repair:true) stops
            // the script on a problem, so rc=0 is printed only after a clean check. ext is checked on the host below.
            if (fileSystem is "xfs" or "btrfs")
            {
                script.Add($"echo {Marker}check:{(fileSystem == "xfs" ? "xfs_repair -n" : "btrfs check")} {device}");
                script.Add(fileSystem == "xfs" ? $"xfs-repair {device} nomodify:true" : $"btrfs-fsck {device}\necho rc=0");
            }
        }

        script.Add($"echo {Marker}inspect");
        script.Add("-inspect-os");
        script.Add($"echo {Marker}distro");
        script.Add($"-inspect-get-distro {guest.InspectionRoot}");
        script.Add($"echo {Marker}lvm");
        script.Add(guest.VolumeGroup is null ? "echo none" : "debug sh \"lvm pvs --units b --nosuffix --noheadings -o pv_name,pv_size,pv_free 2>&1; lvm lvs --units b --nosuffix --noheadings -o lv_name,lv_size 2>&1\"");
        script.Add($"echo {Marker}devicesize");
        script.Add($"blockdev-getsize64 {guest.RootDevice}");
        script.AddRange(guest.MountReadOnly);
        script.Add($"echo {Marker}statvfs");
        script.Add("statvfs /");
        foreach (var path in files)
        {
            script.Add($"echo {Marker}exists:{path}");
            script.Add($"exists {GuestfishText.Quote(path)}");
            script.Add($"echo {Marker}file:{path}");
            script.Add($"-cat {GuestfishText.Quote(path)}");
        }

        foreach (var path in stats ?? [])
        {
            script.Add($"echo {Marker}stat:{path}");
            script.Add($"-lstatns {GuestfishText.Quote(path)}");
        }

        foreach (var path in links ?? [])
        {
            script.Add($"echo {Marker}link:{path}");
            script.Add($"-readlink {GuestfishText.Quote(path)}");
        }

        foreach (var path in listings ?? [])
        {
            script.Add($"echo {Marker}ls:{path}");
            script.Add($"-ls {GuestfishText.Quote(path)}");
        }

        foreach (var pattern in globs ?? [])
        {
            script.Add($"echo {Marker}glob:{pattern}");
            script.Add($"-glob cat {pattern}");
        }

        script.Add($"echo {Marker}end");
        var sections = Sections(Guestfish.Run(string.Join('\n', script), readOnly: true, image));
        var readBack = Parse(sections);

        // ext filesystems (a partition of the image): e2fsck -fn on the host at the partition's offset, as elsewhere in the tests.
        var extProblems = new List<string>();
        foreach (var (device, _) in guest.FileSystems.Where(f => f.FileSystem.StartsWith("ext", StringComparison.Ordinal)))
        {
            var partition = int.Parse(device["/dev/sda".Length..], CultureInfo.InvariantCulture);
            var (offset, _) = TestDisks.PartitionRange(image, partition);
            var fsck = Sh.RunResult("e2fsck", ["-fn", $"{image}?offset={offset}"], accept: [0, 1, 2, 4, 8]);
            if (fsck.ExitStatus != 0)
            {
                extProblems.Add($"e2fsck -fn {device} failed (exit {fsck.ExitStatus}):\n{fsck.StandardOutput}{fsck.StandardError}");
            }
        }

        return extProblems.Count == 0 ? readBack : readBack with { CheckerProblems = [.. readBack.CheckerProblems, .. extProblems] };
    }

    private static GuestReadBack Parse(Dictionary<string, string> sections)
    {
        var problems = new List<string>();
        var files = new Dictionary<string, string?>(StringComparer.Ordinal);
        var stats = new Dictionary<string, (int, int, int)>(StringComparer.Ordinal);
        var links = new Dictionary<string, string?>(StringComparer.Ordinal);
        var listings = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var globs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, text) in sections)
        {
            var colon = key.IndexOf(':', StringComparison.Ordinal);
            var (kind, arg) = colon < 0 ? (key, string.Empty) : (key[..colon], key[(colon + 1)..]);
            switch (kind)
            {
                case "check" when !text.TrimEnd().EndsWith("rc=0", StringComparison.Ordinal) && text.Trim() != "0":
                    problems.Add($"{arg} failed:\n{text}");
                    break;
                case "file":
                    files[arg] = sections[$"exists:{arg}"].Trim() == "true" ? Printed(text) : null;
                    break;
                case "stat" when text.Length > 0:
                    var fields = Fields(text);
                    stats[arg] = ((int)fields["st_mode"], (int)fields["st_uid"], (int)fields["st_gid"]);
                    break;
                case "link":
                    links[arg] = text.Length == 0 ? null : text.TrimEnd('\n');
                    break;
                case "glob":
                    globs[arg] = text;
                    break;
                case "ls":
                    listings[arg] = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                    break;
            }
        }

        var statvfs = Fields(sections.GetValueOrDefault("statvfs", string.Empty));
        return new GuestReadBack
        {
            InspectedRoot = sections["inspect"].Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(),
            InspectedDistro = sections["distro"].Trim() is { Length: > 0 } d ? d : null,
            CheckerProblems = problems,
            Files = files,
            Stats = stats,
            Links = links,
            Listings = listings,
            GlobContents = globs,
            RootFileSystemBytes = statvfs.GetValueOrDefault("blocks") * statvfs.GetValueOrDefault("frsize"),
            RootDeviceBytes = long.Parse(sections["devicesize"].Trim(), CultureInfo.InvariantCulture),
            Lvm = sections["lvm"],
        };
    }

    private static Dictionary<string, string> Sections(string output)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        var parts = output.Split(Marker);
        foreach (var part in parts.Skip(1))
        {
            var newline = part.IndexOf('\n', StringComparison.Ordinal);
            var key = newline < 0 ? part : part[..newline];
            sections[key] = newline < 0 ? string.Empty : part[(newline + 1)..];
        }

        return sections;
    }

    /// <summary>guestfish prints structs as "name: value" lines.</summary>
    private static Dictionary<string, long> Fields(string text)
    {
        var fields = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && long.TryParse(line[(colon + 1)..].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                fields[line[..colon].Trim()] = value;
            }
        }

        return fields;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"root {InspectedRoot} distro {InspectedDistro}; fs {RootFileSystemBytes} of device {RootDeviceBytes}");
        return text.ToString();
    }
}
