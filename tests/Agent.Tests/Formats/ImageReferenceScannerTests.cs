using Imprint.Agent.Formats;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Formats;

/// <summary>The header reader that finds the files an image names, on images qemu-img made (or VMware-style descriptors).</summary>
public sealed class ImageReferenceScannerTests(HostileImages images) : IClassFixture<HostileImages>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(HostileImages.Cases), MemberType = typeof(HostileImages))]
    public void Finds_the_file_each_hostile_image_names(string name)
    {
        var path = images.Image(name);

        var references = ImageReferenceScanner.Find(path, ImageFormatDetector.Detect(path));

        Assert.Contains(references, r => r.Name == images.Named[name]);
    }

    [Theory]
    [InlineData("qcow2", "compat=1.1")]
    [InlineData("qcow2", "compat=0.10")]
    [InlineData("vmdk", "subformat=monolithicSparse")]
    [InlineData("vmdk", "subformat=streamOptimized")]
    [InlineData("vhdx", "subformat=dynamic")]
    [InlineData("vdi", "static=off")]
    [InlineData("vpc", "subformat=dynamic")]
    public void A_self_contained_image_names_nothing(string format, string options)
    {
        var raw = _temp.File("disk.raw");
        TestDisks.CreateGpt(raw, 8, new PartitionSpec(0));
        var image = _temp.File($"disk.{format}");
        Sh.Run("qemu-img", "convert", "-f", "raw", "-O", format, "-o", options, raw, image);

        var references = ImageReferenceScanner.Find(image, ImageFormatDetector.Detect(image));

        Assert.Empty(references);
    }

    [Fact]
    public void Every_named_extent_type_and_a_parent_in_a_descriptor_file_are_found()
    {
        var image = _temp.File("vmfs.vmdk");
        File.WriteAllText(image, string.Join('\n', [
            "# Disk DescriptorFile", "version=1", "CID=fffffffe", "parentCID=12345678", "createType=\"vmfs\"",
            "parentFileNameHint=\"/etc/base.vmdk\"",
            "RW 128 VMFS \"/dev/sda\"", "RDONLY 128 VMFSSPARSE \"../x-delta.vmdk\"", "NOACCESS 128 VMFSRDM \"rdm.vmdk\"",
            "\trw  128\tsesparse  \"/var/run/secrets/token\"", "RW 128 ZERO", ""]));

        var references = ImageReferenceScanner.Find(image, ImageFormat.Vmdk);

        Assert.Equal(
            ["VMDK parent '/etc/base.vmdk'", "VMDK VMFS extent '/dev/sda'", "VMDK VMFSSPARSE extent '../x-delta.vmdk'", "VMDK VMFSRDM extent 'rdm.vmdk'", "VMDK SESPARSE extent '/var/run/secrets/token'"],
            references.Select(r => r.ToString()));
    }

    [Fact]
    public void A_descriptor_with_only_a_zero_extent_names_nothing()
    {
        var image = _temp.File("zero.vmdk");
        File.WriteAllText(image, "# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\ncreateType=\"monolithicFlat\"\nRW 2048 ZERO\n");

        Assert.Empty(ImageReferenceScanner.Find(image, ImageFormat.Vmdk));
    }

    [Fact]
    public void Mutated_headers_never_throw_and_a_mutated_backing_offset_is_still_found()
    {
        // Seeded, so a failure replays: 1,500 copies of real qcow2 and VMDK heads with random bytes overwritten.
        var random = new Random(20261205);
        var raw = _temp.File("disk.raw");
        TestDisks.CreateSparse(raw, 1024 * 1024);
        var seeds = new List<(ImageFormat Format, byte[] Bytes)>();
        foreach (var (format, options) in new[] { ("qcow2", "compat=1.1"), ("vmdk", "subformat=monolithicSparse"), ("vmdk", "subformat=streamOptimized") })
        {
            var image = _temp.File($"seed.{format}");
            Sh.Run("qemu-img", "convert", "-f", "raw", "-O", format, "-o", options, raw, image);
            seeds.Add((ImageFormatDetector.Detect(image), File.ReadAllBytes(image)));
        }

        seeds.Add((ImageFormat.Vmdk, File.ReadAllBytes(images.Image("vmdk-flat-absolute"))));
        var mutant = _temp.File("mutant");
        for (var i = 0; i < 1500; i++)
        {
            var (format, seed) = seeds[i % seeds.Count];
            var bytes = seed[..Math.Min(seed.Length, 4096)];
            for (var flips = random.Next(1, 16); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            File.WriteAllBytes(mutant, bytes[..random.Next(1, bytes.Length + 1)]);

            _ = ImageReferenceScanner.Find(mutant, format);
        }

        var qcow = seeds[0].Bytes[..4096];
        qcow[15] = 0x80;
        File.WriteAllBytes(mutant, qcow);
        Assert.Contains(ImageReferenceScanner.Find(mutant, ImageFormat.Qcow2), r => r.Kind == "backing file");
    }

    [Fact]
    public void Truncated_headers_name_nothing_and_do_not_throw()
    {
        foreach (var (format, magic) in new[] { (ImageFormat.Qcow2, new byte[] { 0x51, 0x46, 0x49, 0xFB, 0, 0, 0, 3 }), (ImageFormat.Vmdk, "KDMV"u8.ToArray()) })
        {
            var image = _temp.File($"short.{format}");
            File.WriteAllBytes(image, magic);

            Assert.Empty(ImageReferenceScanner.Find(image, format));
        }
    }
}
