using System.Text;

namespace Imprint.Agent.Formats;

/// <summary>Detects an image's container format by its magic bytes (never by its file name).</summary>
public static class ImageFormatDetector
{
    public static ImageFormat Detect(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.RandomAccess);
        Span<byte> head = stackalloc byte[512];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..read];
        var format = Detect(head);
        if (format == ImageFormat.Raw && stream.Length >= 512)
        {
            // A fixed VHD is raw data followed by a 512-byte "conectix" footer.
            Span<byte> footer = stackalloc byte[8];
            stream.Seek(-512, SeekOrigin.End);
            if (stream.ReadAtLeast(footer, 8, throwOnEndOfStream: false) == 8 && footer.SequenceEqual("conectix"u8))
            {
                return ImageFormat.Vpc;
            }
        }

        return format;
    }

    /// <summary>Classifies the first bytes of an image.</summary>
    public static ImageFormat Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x51, 0x46, 0x49, 0xFB]))
        {
            return ImageFormat.Qcow2;
        }

        if (head.StartsWith("KDMV"u8) || head.StartsWith("COWD"u8) || StartsWithText(head, "# Disk DescriptorFile"))
        {
            return ImageFormat.Vmdk;
        }

        if (head.StartsWith("vhdxfile"u8))
        {
            return ImageFormat.Vhdx;
        }

        if (head.Length >= 0x44 && head[0x40] == 0x7f && head[0x41] == 0x10 && head[0x42] == 0xda && head[0x43] == 0xbe)
        {
            return ImageFormat.Vdi;
        }

        if (head.StartsWith("conectix"u8))
        {
            return ImageFormat.Vpc;
        }

        if (head.Length >= 3 && head[0] == 0x1f && head[1] == 0x8b && head[2] == 0x08)
        {
            return ImageFormat.Gzip;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]))
        {
            return ImageFormat.Xz;
        }

        return ImageFormat.Raw;
    }

    /// <summary>qemu-img's name of a format.</summary>
    public static string QemuName(ImageFormat format) => format switch
    {
        ImageFormat.Raw => "raw",
        ImageFormat.Qcow2 => "qcow2",
        ImageFormat.Vmdk => "vmdk",
        ImageFormat.Vhdx => "vhdx",
        ImageFormat.Vdi => "vdi",
        ImageFormat.Vpc => "vpc",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a qemu-img format"),
    };

    private static bool StartsWithText(ReadOnlySpan<byte> head, string text) =>
        head.Length >= text.Length && Encoding.ASCII.GetString(head[..text.Length]) == text;
}
