using System.Buffers.Binary;

namespace Imprint.Agent.FileSystems;

/// <summary>Linux swap: the signature in the last 10 bytes of the first page, for the page sizes libblkid tries.</summary>
internal static class SwapProbe
{
    private const int HeaderOffset = 1024;
    private static readonly int[] PageSizes = [4096, 8192, 16384, 32768, 65536];

    public static DetectedFileSystem? Probe(ProbeWindow window)
    {
        foreach (var pageSize in PageSizes)
        {
            var magic = window.Read(pageSize - 10, 10);
            if (magic is null)
            {
                return null;
            }

            var version = ProbeFields.HasAscii(magic, 0, "SWAPSPACE2") ? "1" : ProbeFields.HasAscii(magic, 0, "SWAP-SPACE") ? "0" : null;
            if (version is not null)
            {
                return Describe(window, pageSize, version);
            }
        }

        return null;
    }

    private static DetectedFileSystem? Describe(ProbeWindow window, int pageSize, string version)
    {
        // struct swap_header_v1_2 after the 1 KiB boot area: version, last_page, nr_badpages, uuid[16], volume_name[16],
        // padding[117].
        var header = window.Read(HeaderOffset, 512);
        if (header is null)
        {
            return null;
        }

        long? size = null;
        if (version == "1")
        {
            var raw = BinaryPrimitives.ReadUInt32LittleEndian(header);
            var bigEndian = raw != 1 && BinaryPrimitives.ReverseEndianness(raw) == 1;
            var lastPage = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)) : BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
            if ((raw != 1 && !bigEndian) || lastPage == 0)
            {
                return null;
            }

            size = (lastPage + 1L) * pageSize;
        }

        // libblkid trusts uuid and label only when padding[32..33] are zero: old mkswap left garbage there.
        var clean = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(44 + (32 * 4))) == 0 &&
            BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(44 + (33 * 4))) == 0;
        return new DetectedFileSystem(
            FileSystemKind.Swap,
            "swap",
            clean ? ProbeFields.Uuid(header.AsSpan(12, 16)) : null,
            clean ? ProbeFields.Label(header.AsSpan(28, 16)) : null,
            version,
            BlockSize: pageSize,
            SizeBytes: size,
            Features: [],
            NeedsRecovery: false);
    }
}
