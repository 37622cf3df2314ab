using System.Text.Json;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Fuzz;

/// <summary>
/// The valid images the fuzzer mutates, made once per test run with the real tools: GPT and MBR disks holding ext
/// filesystems (with and without metadata_csum, a logical MBR partition), a Debian-like root in an LVM LV, and qcow2, vmdk and vhdx containers.
/// </summary>
public static class FuzzCorpus
{
    private const long MiB = TestDisks.MiB;
    private static readonly Lazy<IReadOnlyList<FuzzSeedImage>> Images = new(Build);

    public static IReadOnlyList<FuzzSeedImage> All => Images.Value;

    private static List<FuzzSeedImage> Build()
    {
        using var temp = new TempDirectory();
        var images = new List<FuzzSeedImage>
        {
            GptExt(temp, "gpt-ext4", "-O", "^metadata_csum"),
            GptExt(temp, "gpt-ext4-csum"),
            MbrWithLogical(temp),
            LvmSeedImage.Build(temp),
        };
        var raw = temp.File("data.raw");
        TestDisks.CreateGpt(raw, 4, new PartitionSpec(0));
        Sh.Run("dd", "if=/dev/urandom", $"of={raw}", "bs=64k", "seek=8", "count=4", "conv=notrunc", "status=none");
        foreach (var (format, hot) in new[] { ("qcow2", 256 * 1024), ("vmdk", 128 * 1024), ("vhdx", 320 * 1024) })
        {
            var container = temp.File($"data.{format}");
            Sh.Run("qemu-img", "convert", "-f", "raw", "-O", format, raw, container);
            var bytes = File.ReadAllBytes(container);
            images.Add(new FuzzSeedImage(format, bytes, [(0, 512), (0, Math.Min(hot, bytes.Length))]));
        }

        return images;
    }

    private static FuzzSeedImage GptExt(TempDirectory temp, string name, params string[] options)
    {
        var path = temp.File(name + ".raw");
        TestDisks.CreateGpt(path, 4, new PartitionSpec(0));
        var offset = TestDisks.MakeExt(path, 1, "ext4", GuestTrees.DebianLike(temp.File(name + "-tree")), ["-b", "1024", .. options]);
        var bytes = File.ReadAllBytes(path);
        return new FuzzSeedImage(name, bytes, [(0, 34 * 512), (bytes.Length - (33 * 512), 33 * 512), (offset + 1024, 1024), (offset + 2048, 1024)], offset + 1024);
    }

    private static FuzzSeedImage MbrWithLogical(TempDirectory temp)
    {
        var path = temp.File("mbr.raw");
        TestDisks.CreateSparse(path, 4 * MiB);
        Sh.RunResult("sfdisk", ["--no-reread", "--no-tell-kernel", path], stdin: "label: dos\n,2MiB,83\n,,5\n,,83\n");
        var offset = TestDisks.MakeExt(path, 1, "ext2", GuestTrees.DebianLike(temp.File("mbr-tree")), "-b", "1024");
        using var doc = JsonDocument.Parse(Sh.Run("sfdisk", "--json", path));
        var extended = doc.RootElement.GetProperty("partitiontable").GetProperty("partitions").EnumerateArray()
            .First(p => p.GetProperty("type").GetString() == "5").GetProperty("start").GetInt64() * 512;
        var bytes = File.ReadAllBytes(path);
        return new FuzzSeedImage("mbr-logical", bytes, [(0, 512), (extended, 512), (offset + 1024, 1024)], offset + 1024);
    }
}
