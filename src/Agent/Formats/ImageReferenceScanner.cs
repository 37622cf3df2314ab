using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Win32.SafeHandles;

namespace Imprint.Agent.Formats;

/// <summary>
/// Finds the other files a container image would make qemu open — a qcow2 backing file or external data file, a VMDK
/// extent or parent — by reading the image's own headers here, before any tool sees it. A tenant's image naming
/// <c>/var/run/secrets/…</c> or <c>../../token</c> would otherwise have qemu-img copy that file into the output disk
/// (and <c>qemu-img info</c> itself opens VMDK extents, so asking qemu first is already too late). Reads are bounded
/// and stay inside the file; a header too short to name anything names nothing (qemu then rejects it as malformed).
/// </summary>
public static partial class ImageReferenceScanner
{
    /// <summary>qemu reads at most this much of a VMDK descriptor (vmdk_read_desc), so nothing past it can name a file.</summary>
    private const int MaxDescriptorBytes = (1 << 20) - 1;

    /// <summary>qemu looks for <c>parentFileNameHint</c> in this many bytes (DESC_SIZE) at 0x200 of a sparse VMDK.</summary>
    private const int ParentHintWindow = 20 * 512;

    private const uint Qcow2DataFileExtension = 0x44415441;
    private const ulong Qcow2IncompatibleDataFile = 1 << 2;
    private const int MaxShownName = 200;
    private const string ParentHint = "parentFileNameHint";

    /// <summary>Every file the image names besides itself; empty for a self-contained image and for raw, vhdx, vdi, vpc.</summary>
    public static IReadOnlyList<ImageReference> Find(string path, ImageFormat format)
    {
        if (format is not (ImageFormat.Qcow2 or ImageFormat.Vmdk))
        {
            // qemu supports no backing or extent files for vhdx (differencing disks are refused), vdi or vpc.
            return [];
        }

        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var found = format == ImageFormat.Qcow2 ? FindInQcow2(handle) : FindInVmdk(handle);
        return found.Distinct().ToList();
    }

    private static List<ImageReference> FindInQcow2(SafeFileHandle handle)
    {
        var references = new List<ImageReference>();
        var head = ReadAt(handle, 0, 104);
        if (head.Length < 72)
        {
            return references;
        }

        var version = BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(4));
        var backingOffset = BinaryPrimitives.ReadUInt64BigEndian(head.AsSpan(8));
        var backingLength = BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(16));
        if (backingOffset != 0 || backingLength != 0)
        {
            references.Add(new ImageReference("backing file", ReadName(handle, backingOffset, Math.Min(backingLength, 1023u))));
        }

        if (version < 3 || head.Length < 104)
        {
            return references;
        }

        var incompatible = BinaryPrimitives.ReadUInt64BigEndian(head.AsSpan(72));
        var headerLength = BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(100));
        var clusterBits = BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(20));
        var clusterSize = clusterBits is >= 9 and <= 21 ? 1 << (int)clusterBits : 2 << 20;
        string? dataFileName = null;

        // Header extensions follow the header inside the first cluster: (type, length, data padded to 8 bytes)…, type 0.
        var extensions = ReadAt(handle, 0, clusterSize);
        long position = headerLength;
        while (position + 8 <= extensions.Length)
        {
            var type = BinaryPrimitives.ReadUInt32BigEndian(extensions.AsSpan((int)position));
            var length = BinaryPrimitives.ReadUInt32BigEndian(extensions.AsSpan((int)position + 4));
            if (type == 0)
            {
                break;
            }

            var dataStart = position + 8;
            if (type == Qcow2DataFileExtension)
            {
                var available = (int)Math.Max(0, Math.Min(length, extensions.Length - dataStart));
                dataFileName = Show(extensions.AsSpan((int)dataStart, available));
            }

            position = dataStart + ((length + 7L) & ~7L);
        }

        if ((incompatible & Qcow2IncompatibleDataFile) != 0 || dataFileName is not null)
        {
            references.Add(new ImageReference("external data file", dataFileName ?? "(name not recorded)"));
        }

        return references;
    }

    private static List<ImageReference> FindInVmdk(SafeFileHandle handle)
    {
        var head = ReadAt(handle, 0, 512);
        var magic = head.AsSpan(0, Math.Min(4, head.Length));
        if (magic.SequenceEqual("KDMV"u8) && head.Length >= 44)
        {
            var capacity = BinaryPrimitives.ReadUInt64LittleEndian(head.AsSpan(12));
            var descriptorSector = BinaryPrimitives.ReadUInt64LittleEndian(head.AsSpan(28));
            if (capacity == 0 && descriptorSector != 0)
            {
                // qemu then reads the embedded descriptor as a descriptor file: its extents are opened by name.
                var descriptorOffset = descriptorSector <= long.MaxValue / 512 ? (long)descriptorSector * 512 : long.MaxValue;
                return
                [
                    .. FindInDescriptor(ReadText(handle, descriptorOffset, MaxDescriptorBytes), extentsAreOpened: true),
                    .. FindInDescriptor(ReadText(handle, 0x200, ParentHintWindow), extentsAreOpened: false),
                ];
            }

            // The file is its own single extent (the embedded extent lines are informational); qemu only follows a
            // parent named in the descriptor window at 0x200.
            return FindInDescriptor(ReadText(handle, 0x200, ParentHintWindow), extentsAreOpened: false);
        }

        if (magic.SequenceEqual("COWD"u8))
        {
            return FindInDescriptor(ReadText(handle, 0x200, ParentHintWindow), extentsAreOpened: false);
        }

        // A text descriptor holds no data: every extent it lists lives in another file.
        return FindInDescriptor(ReadText(handle, 0, MaxDescriptorBytes), extentsAreOpened: true);
    }

    private static List<ImageReference> FindInDescriptor(string text, bool extentsAreOpened)
    {
        var references = new List<ImageReference>();
        // qemu: strstr(desc, "parentFileNameHint"), skip two characters (="), the name runs to the next quote.
        for (var at = text.IndexOf(ParentHint, StringComparison.Ordinal); at >= 0; at = text.IndexOf(ParentHint, at + 1, StringComparison.Ordinal))
        {
            var start = Math.Min(text.Length, at + ParentHint.Length + 2);
            var end = text.IndexOf('"', start);
            var name = text[start..(end < 0 ? text.Length : end)];
            if (name.Length > 0)
            {
                references.Add(new ImageReference("VMDK parent", Show(name)));
            }
        }

        if (!extentsAreOpened)
        {
            return references;
        }

        foreach (var line in text.Split('\n', '\r'))
        {
            var extent = ExtentPattern().Match(line);
            if (extent.Success)
            {
                references.Add(new ImageReference($"VMDK {extent.Groups[1].Value.ToUpperInvariant()} extent", Show(extent.Groups[2].Value)));
            }
        }

        return references;
    }

    private static byte[] ReadAt(SafeFileHandle handle, long offset, int count)
    {
        var length = RandomAccess.GetLength(handle);
        if (offset < 0 || offset >= length)
        {
            return [];
        }

        var buffer = new byte[(int)Math.Min(count, length - offset)];
        var done = 0;
        while (done < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer.AsSpan(done), offset + done);
            if (read == 0)
            {
                break;
            }

            done += read;
        }

        return done == buffer.Length ? buffer : buffer[..done];
    }

    /// <summary>Descriptor text as qemu sees it: C string functions stop at the first NUL.</summary>
    private static string ReadText(SafeFileHandle handle, long offset, int count)
    {
        var bytes = ReadAt(handle, offset, count);
        var end = Array.IndexOf(bytes, (byte)0);
        return Encoding.Latin1.GetString(bytes, 0, end < 0 ? bytes.Length : end);
    }

    private static string ReadName(SafeFileHandle handle, ulong offset, uint length) =>
        offset > long.MaxValue ? "(name outside the file)" : Show(ReadAt(handle, (long)offset, (int)length));

    private static string Show(ReadOnlySpan<byte> name) => Show(Encoding.UTF8.GetString(name));

    /// <summary>The name as printable text, cut short: it goes into an error message and a log line.</summary>
    private static string Show(string name)
    {
        var printable = new StringBuilder(Math.Min(name.Length, MaxShownName));
        foreach (var c in name.AsSpan(0, Math.Min(name.Length, MaxShownName)))
        {
            printable.Append(char.IsControl(c) ? '?' : c);
        }

        return name.Length > MaxShownName ? printable + "…" : printable.ToString();
    }

    // qemu: sscanf("%10s %" SCNd64 " %10s \"%511[^\n\r\"]\""): access, sectors, type, quoted file name.
    // Stricter than qemu: any access word, and whatever stands between the type and the quoted name. Adjacent parts
    // cannot match the same characters, so a long hostile line costs linear time.
    [GeneratedRegex("^\\s*(?:RW|RDONLY|NOACCESS)\\s+\\S+\\s+([^\\s\"]+)(?:\\s[^\"]*)?\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ExtentPattern();
}
