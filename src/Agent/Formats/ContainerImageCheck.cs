using System.Text.Encodings.Web;
using System.Text.Json;
using Imprint.Agent.Errors;
using Imprint.Agent.Tools;
using Imprint.Agent.Units;

namespace Imprint.Agent.Formats;

/// <summary>
/// Decides whether a container image (qcow2, vmdk, vhdx, vdi, vpc) may be handed to qemu-img at all. Every image is
/// hostile input: one that names another file (backing file, external data file, VMDK extent or parent) would make
/// qemu-img copy that file — a mounted Secret, say — into the output disk, so it is refused before any tool opens it;
/// and one that claims an absurd virtual size is malformed, not a disk to allocate.
/// </summary>
public static class ContainerImageCheck
{
    /// <summary>
    /// The largest virtual size accepted: 64 TiB. It is the most a VHDX can describe (qemu's limit too) and above
    /// VMDK's 62 TiB, so no disk from the supported formats' own tools is larger; a bigger claim (a qcow2 header can
    /// say 8 EiB) is a broken or hostile header. Whether the target filesystem can hold the raw file is a separate,
    /// later check (ext4 stops at 16 TiB per file).
    /// </summary>
    public const long MaxVirtualSize = 64L << 40;

    /// <summary>
    /// Checks the image and returns its virtual size. First the headers are read here (<see cref="ImageReferenceScanner"/>),
    /// because <c>qemu-img info</c> itself opens VMDK extents; only a self-contained image reaches
    /// <c>qemu-img info --output=json -f FORMAT</c>, whose answer is checked again for references and size.
    /// </summary>
    public static async Task<long> InspectAsync(string path, ImageFormat format, CancellationToken cancellationToken = default)
    {
        var fullPath = Path.GetFullPath(path);
        var references = ImageReferenceScanner.Find(fullPath, format);
        if (references.Count > 0)
        {
            throw Refuse(path, format, references);
        }

        ToolResult info;
        try
        {
            info = await ToolRunner.RunAsync("qemu-img", ["info", "--output=json", "-f", ImageFormatDetector.QemuName(format), QemuImageName(fullPath, format)], cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ToolFailedException ex)
        {
            throw new ImprintException(ExitCode.InvalidImage, $"'{path}' is not a readable {ImageFormatDetector.QemuName(format)} image: {ex.StandardError.Trim()}", ex);
        }

        using var document = JsonDocument.Parse(info.StandardOutput);
        var root = document.RootElement;
        references = ReferencesIn(root, fullPath);
        if (references.Count > 0)
        {
            throw Refuse(path, format, references);
        }

        var virtualSize = root.GetProperty("virtual-size").GetInt64();
        if (virtualSize > MaxVirtualSize)
        {
            throw ImprintException.InvalidImage(
                $"'{path}' claims a virtual size of {virtualSize} bytes ({ByteSize.Format(virtualSize)}), which exceeds the maximum of {ByteSize.Format(MaxVirtualSize)}; the image header is broken or hostile");
        }

        return virtualSize;
    }

    /// <summary>
    /// How qemu-img must name an image: the explicit driver, the plain file protocol with an absolute path (no
    /// <c>proto:</c> prefix is ever read from a file name), and <c>"backing": null</c>, so qemu opens no backing file
    /// whatever the header says — a second lock behind <see cref="ImageReferenceScanner"/>. qemu-img info still reports
    /// the backing file's name, which <see cref="InspectAsync"/> checks.
    /// </summary>
    public static string QemuImageName(string path, ImageFormat format)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("driver", ImageFormatDetector.QemuName(format));
            json.WriteNull("backing");
            json.WriteStartObject("file");
            json.WriteString("driver", "file");
            json.WriteString("filename", Path.GetFullPath(path));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return "json:" + System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static List<ImageReference> ReferencesIn(JsonElement info, string fullPath)
    {
        var references = new List<ImageReference>();
        if (info.TryGetProperty("backing-filename", out var backing))
        {
            references.Add(new ImageReference("backing file", backing.ToString()));
        }

        if (info.TryGetProperty("format-specific", out var specific) && specific.TryGetProperty("data", out var data))
        {
            if (data.TryGetProperty("data-file", out var dataFile))
            {
                references.Add(new ImageReference("external data file", dataFile.ToString()));
            }

            if (data.TryGetProperty("extents", out var extents) && extents.ValueKind == JsonValueKind.Array)
            {
                foreach (var extent in extents.EnumerateArray())
                {
                    var name = extent.TryGetProperty("filename", out var filename) ? filename.ToString() : "(unnamed)";
                    if (name != fullPath)
                    {
                        references.Add(new ImageReference("VMDK extent", name));
                    }
                }
            }
        }

        return references;
    }

    private static ImprintException Refuse(string path, ImageFormat format, IReadOnlyList<ImageReference> references) =>
        ImprintException.InvalidImage(
            $"'{path}' is a {ImageFormatDetector.QemuName(format)} image that refers to other files ({string.Join(", ", references)}); " +
            "refusing it: an image may only hold its own data (flatten it with 'qemu-img convert' where its files are trusted)");
}
