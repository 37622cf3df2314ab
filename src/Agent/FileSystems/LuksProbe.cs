using System.Buffers.Binary;
using System.Globalization;

namespace Imprint.Agent.FileSystems;

/// <summary>LUKS1/LUKS2: the primary header at 0, else a LUKS2 secondary header at one of its fixed offsets.</summary>
internal static class LuksProbe
{
    private const int HeaderSize = 512;
    private static readonly long[] SecondaryOffsets = [0x4000, 0x8000, 0x10000, 0x20000, 0x40000, 0x80000, 0x100000, 0x200000, 0x400000];

    public static DetectedFileSystem? Probe(ProbeWindow window)
    {
        var header = window.Read(0, HeaderSize);
        if (header is null)
        {
            return null;
        }

        if (IsHeader(header, "LUKS\xBA\xBE", 0))
        {
            return Describe(header);
        }

        foreach (var offset in SecondaryOffsets)
        {
            header = window.Read(offset, HeaderSize);
            if (header is null)
            {
                return null;
            }

            if (IsHeader(header, "SKUL\xBA\xBE", offset))
            {
                return Describe(header);
            }
        }

        return null;
    }

    // A LUKS2 header records its own offset; a copy found elsewhere is stale (e.g. inside a nested volume).
    private static bool IsHeader(byte[] header, string magic, long offset) =>
        ProbeFields.HasAscii(header, 0, magic) &&
        (Version(header) != 2 || BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(256)) == (ulong)offset);

    private static ushort Version(byte[] header) => BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(6));

    private static DetectedFileSystem Describe(byte[] header)
    {
        var version = Version(header);
        return new DetectedFileSystem(
            FileSystemKind.Luks,
            "crypto_LUKS",
            version is 1 or 2 ? ProbeFields.CString(header.AsSpan(168, 40)) : null,
            version == 2 ? ProbeFields.Label(header.AsSpan(24, 48)) : null,
            version.ToString(CultureInfo.InvariantCulture),
            BlockSize: null,
            SizeBytes: null,
            Features: [],
            NeedsRecovery: false);
    }
}
