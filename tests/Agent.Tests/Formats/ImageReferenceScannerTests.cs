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
    public void A_descriptor_with_only_a_zero_extent_names_nothing()
    {
        var image = _temp.File("zero.vmdk");
        File.WriteAllText(image, "# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\ncreateType=\"monolithicFlat\"\nRW 2048 ZERO\n");

        Assert.Empty(ImageReferenceScanner.Find(image, ImageFormat.Vmdk));
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
