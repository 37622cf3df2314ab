namespace Imprint.Agent.Tests.Support;

/// <summary>One partition for <see cref="TestDisks"/>: size in MiB (0 = rest of the disk) and an sgdisk type code.</summary>
public sealed record PartitionSpec(long SizeMiB, string TypeCode = "8300", string Name = "");

/// <summary>
/// Builds real disk images without root: sparse files partitioned by sgdisk/sfdisk, filesystems made by
/// <c>mkfs -E offset=N -d tree</c>. These tools are the ground truth the tests compare our code against.
/// </summary>
public static class TestDisks
{
    public const long MiB = 1024 * 1024;

    /// <summary>Creates a GPT disk of <paramref name="sizeMiB"/> with partitions 1 MiB aligned, in order.</summary>
    public static void CreateGpt(string path, long sizeMiB, params PartitionSpec[] partitions)
    {
        CreateSparse(path, sizeMiB * MiB);
        var args = new List<string>();
        for (var i = 0; i < partitions.Length; i++)
        {
            var n = i + 1;
            var p = partitions[i];
            args.Add($"-n{n}:0:{(p.SizeMiB == 0 ? "0" : $"+{p.SizeMiB}M")}");
            args.Add($"-t{n}:{p.TypeCode}");
            if (p.Name.Length > 0)
            {
                args.Add($"-c{n}:{p.Name}");
            }
        }

        args.Add(path);
        Sh.Run("sgdisk", [.. args]);
    }

    /// <summary>Creates an MBR (dos) disk with sfdisk; each partition is (sizeMiB or 0 for the rest, type hex like "83").</summary>
    public static void CreateMbr(string path, long sizeMiB, params (long SizeMiB, string Type)[] partitions)
    {
        CreateSparse(path, sizeMiB * MiB);
        var script = "label: dos\n" + string.Concat(partitions.Select(p =>
            p.SizeMiB == 0 ? $",,{p.Type}\n" : $",{p.SizeMiB}MiB,{p.Type}\n"));
        Sh.RunResult("sfdisk", ["--no-reread", "--no-tell-kernel", path], stdin: script);
    }

    /// <summary>Start byte and length of partition <paramref name="number"/> as sfdisk reads it.</summary>
    public static (long Offset, long Length) PartitionRange(string path, int number)
    {
        var json = Sh.Run("sfdisk", "--json", path);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var table = doc.RootElement.GetProperty("partitiontable");
        var sectorSize = table.TryGetProperty("sectorsize", out var ss) ? ss.GetInt64() : 512;
        foreach (var part in table.GetProperty("partitions").EnumerateArray())
        {
            var node = part.GetProperty("node").GetString()!;
            if (node.EndsWith(number.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) &&
                !char.IsDigit(node[^(number.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + 1)]))
            {
                return (part.GetProperty("start").GetInt64() * sectorSize, part.GetProperty("size").GetInt64() * sectorSize);
            }
        }

        throw new InvalidOperationException($"partition {number} not found in {path}");
    }

    /// <summary>
    /// Makes an ext2/3/4 filesystem filling partition <paramref name="partition"/>, populated from
    /// <paramref name="tree"/> when given. Extra mke2fs options (e.g. "-b", "1024", "-O", "^metadata_csum") pass through.
    /// Returns the partition's byte offset.
    /// </summary>
    public static long MakeExt(string image, int partition, string fsType = "ext4", string? tree = null, params string[] extra)
    {
        var (offset, length) = PartitionRange(image, partition);
        var args = new List<string> { "-q", "-F", "-t", fsType, "-E", $"offset={offset}" };
        args.AddRange(extra);
        if (tree is not null)
        {
            args.Add("-d");
            args.Add(tree);
        }

        args.Add(image);
        args.Add($"{length / 1024}k");
        Sh.Run("mke2fs", [.. args]);
        return offset;
    }

    public static void CreateSparse(string path, long bytes)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        stream.SetLength(bytes);
    }
}
