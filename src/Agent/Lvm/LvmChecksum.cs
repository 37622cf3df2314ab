namespace Imprint.Agent.Lvm;

/// <summary>
/// LVM2's <c>calc_crc</c>: reflected CRC-32 (polynomial 0xEDB88320) seeded with 0xf597a6cf and without the final
/// inversion. It guards the label (bytes 20..511), the metadata area header (bytes 4..511) and the metadata text.
/// </summary>
public static class LvmChecksum
{
    public const uint Initial = 0xF597A6CF;

    private static readonly uint[] Table = BuildTable();

    /// <summary>Continues a checksum over <paramref name="data"/>; pass the previous result to checksum split data.</summary>
    public static uint Compute(ReadOnlySpan<byte> data, uint crc = Initial)
    {
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
