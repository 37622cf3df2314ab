using System.Buffers.Binary;
using System.Text;

namespace Imprint.Agent.FileSystems;

/// <summary>LVM2 physical volume: the "LABELONE" label in one of the first four sectors, with its CRC.</summary>
internal static class LvmProbe
{
    private const int SectorSize = 512;
    private const int LabelCrcStart = 20;

    public static DetectedFileSystem? Probe(ProbeWindow window)
    {
        for (var sector = 0; sector < 4; sector++)
        {
            var label = window.Read(sector * SectorSize, SectorSize);
            if (label is null)
            {
                return null;
            }

            if (!ProbeFields.HasAscii(label, 0, "LABELONE") || !ProbeFields.HasAscii(label, 24, "LVM2 001") ||
                BinaryPrimitives.ReadUInt64LittleEndian(label.AsSpan(8)) != (ulong)sector ||
                Lvm.LvmChecksum.Compute(label.AsSpan(LabelCrcStart)) != BinaryPrimitives.ReadUInt32LittleEndian(label.AsSpan(16)))
            {
                continue;
            }

            // pv_header follows the 32-byte label header: id[32], device_size u64.
            var id = Encoding.ASCII.GetString(label, 32, 32);
            var deviceSize = BinaryPrimitives.ReadUInt64LittleEndian(label.AsSpan(64));
            return new DetectedFileSystem(
                FileSystemKind.LvmPhysicalVolume,
                "LVM2_member",
                $"{id[..6]}-{id[6..10]}-{id[10..14]}-{id[14..18]}-{id[18..22]}-{id[22..26]}-{id[26..]}",
                Label: null,
                Version: "LVM2 001",
                BlockSize: null,
                SizeBytes: deviceSize is > 0 and <= long.MaxValue ? (long)deviceSize : null,
                Features: [],
                NeedsRecovery: false);
        }

        return null;
    }
}
