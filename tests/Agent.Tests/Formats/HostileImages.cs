using System.Security.Cryptography;
using System.Text;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Formats;

/// <summary>
/// Images that name a host file, built once per test class with qemu-img (or written by hand where qemu-img will not
/// make them: VMDK descriptors). The named file is a canary: 64 KiB of random bytes at <c>ROOT/secrets/canary.raw</c>,
/// standing in for a mounted Secret. Images live in <c>ROOT/images/a/</c>; tests write into <c>ROOT/out/a/</c>, the
/// same depth, so a relative <c>../../secrets/canary.raw</c> reaches the canary from either folder (qemu resolves
/// relative names from the image's folder, and an import converts a scratch file in the target's folder).
/// </summary>
public sealed class HostileImages : IDisposable
{
    public const int CanaryLength = 64 * 1024;
    public const string RelativeCanary = "../../secrets/canary.raw";
    private const int Sector = 512;
    private readonly TempDirectory _temp = new();

    public HostileImages()
    {
        Root = _temp.Path;
        ImageFolder = Directory.CreateDirectory(System.IO.Path.Combine(Root, "images", "a")).FullName;
        Directory.CreateDirectory(System.IO.Path.Combine(Root, "secrets"));
        Canary = System.IO.Path.Combine(Root, "secrets", "canary.raw");
        CanaryBytes = RandomNumberGenerator.GetBytes(CanaryLength);

        // qemu-img create truncates an external data file it is given, so those images come before the canary's bytes.
        Qemu("qcow2-data-file", "qcow2", "-o", $"data_file={Canary},data_file_raw=on");
        Qemu("qcow2-data-file-mapped", "qcow2", "-o", $"data_file={Canary}");
        File.WriteAllBytes(Canary, CanaryBytes);
        Qemu("qcow2-backing-absolute", "qcow2", "-b", Canary, "-F", "raw");
        Qemu("qcow2-backing-relative", "qcow2", "-b", RelativeCanary, "-F", "raw");

        // A VMDK's parent must itself be a VMDK: the canary's bytes in one, next to the canary.
        var canaryVmdk = System.IO.Path.Combine(Root, "secrets", "canary.vmdk");
        Sh.Run("qemu-img", "convert", "-f", "raw", "-O", "vmdk", Canary, canaryVmdk);
        Qemu("vmdk-parent", "vmdk", "-b", canaryVmdk, "-F", "vmdk");

        Descriptor("vmdk-flat-absolute", $"RW {CanaryLength / Sector} FLAT \"{Canary}\" 0");
        Descriptor("vmdk-flat-relative", $"RW {CanaryLength / Sector} FLAT \"{RelativeCanary}\" 0");
        Descriptor("vmdk-sparse-absolute", $"RW {CanaryLength / Sector} SPARSE \"{canaryVmdk}\"");
        Descriptor("vmdk-sparse-relative", $"RW {CanaryLength / Sector} SPARSE \"../../secrets/canary.vmdk\"");
        EmbeddedDescriptor("vmdk-embedded-flat", $"RW {CanaryLength / Sector} FLAT \"{Canary}\" 0");

        // The canary is named in full or as a relative path by each image; what the error must show.
        Named = new Dictionary<string, string>
        {
            ["qcow2-data-file"] = Canary,
            ["qcow2-data-file-mapped"] = Canary,
            ["qcow2-backing-absolute"] = Canary,
            ["qcow2-backing-relative"] = RelativeCanary,
            ["vmdk-parent"] = canaryVmdk,
            ["vmdk-flat-absolute"] = Canary,
            ["vmdk-flat-relative"] = RelativeCanary,
            ["vmdk-sparse-absolute"] = canaryVmdk,
            ["vmdk-sparse-relative"] = "../../secrets/canary.vmdk",
            ["vmdk-embedded-flat"] = Canary,
        };
    }

    public static TheoryData<string> Cases => new()
    {
        "qcow2-data-file", "qcow2-data-file-mapped", "qcow2-backing-absolute", "qcow2-backing-relative", "vmdk-parent",
        "vmdk-flat-absolute", "vmdk-flat-relative", "vmdk-sparse-absolute", "vmdk-sparse-relative", "vmdk-embedded-flat",
    };

    public string Root { get; }

    public string ImageFolder { get; }

    public string Canary { get; }

    public byte[] CanaryBytes { get; }

    /// <summary>The name each case's image gives the canary.</summary>
    public IReadOnlyDictionary<string, string> Named { get; }

    public string Image(string name) => System.IO.Path.Combine(ImageFolder, name);

    /// <summary>A fresh, empty output folder at the images' depth (<c>ROOT/out-N/a</c>).</summary>
    public string NewOutputFolder() =>
        Directory.CreateDirectory(System.IO.Path.Combine(Root, $"out-{Guid.NewGuid():N}", "a")).FullName;

    /// <summary>Fails the test when any 512-byte sector of the canary appears in any file under <paramref name="folder"/>.</summary>
    public void AssertNoCanaryIn(string folder)
    {
        var canarySectors = new HashSet<string>(StringComparer.Ordinal);
        for (var offset = 0; offset < CanaryLength; offset += Sector)
        {
            canarySectors.Add(Convert.ToHexString(CanaryBytes, offset, Sector));
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            using var stream = File.OpenRead(file);
            var sector = new byte[Sector];
            long position = 0;
            while (stream.ReadAtLeast(sector, Sector, throwOnEndOfStream: false) is var read && read > 0)
            {
                Assert.False(read == Sector && canarySectors.Contains(Convert.ToHexString(sector)), $"'{file}' holds canary bytes at {position}");
                position += read;
            }
        }
    }

    public void Dispose() => _temp.Dispose();

    private void Qemu(string name, string format, params string[] options) =>
        Sh.Run("qemu-img", ["create", "-f", format, .. options, Image(name), "1M"]);

    /// <summary>A VMDK descriptor file, as VMware writes them next to their extents.</summary>
    private void Descriptor(string name, string extent) =>
        File.WriteAllText(Image(name), DescriptorText(extent));

    /// <summary>
    /// A sparse VMDK whose header says capacity 0: qemu then reads its embedded descriptor like a descriptor file and
    /// opens the extents it lists. Made from a real qemu-img VMDK with the capacity zeroed and the descriptor replaced.
    /// </summary>
    private void EmbeddedDescriptor(string name, string extent)
    {
        var path = Image(name);
        Sh.Run("qemu-img", "create", "-f", "vmdk", path, "1M");
        var bytes = File.ReadAllBytes(path);
        var descriptorOffset = (int)BitConverter.ToInt64(bytes, 28) * Sector;
        var descriptorLength = (int)BitConverter.ToInt64(bytes, 36) * Sector;
        BitConverter.GetBytes(0L).CopyTo(bytes, 12);
        var text = Encoding.ASCII.GetBytes(DescriptorText(extent));
        Array.Clear(bytes, descriptorOffset, descriptorLength);
        text.CopyTo(bytes, descriptorOffset);
        File.WriteAllBytes(path, bytes);
    }

    private static string DescriptorText(string extent) =>
        "# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\ncreateType=\"monolithicFlat\"\n\n" +
        $"# Extent description\n{extent}\n\n# The Disk Data Base\nddb.adapterType = \"ide\"\n";
}
