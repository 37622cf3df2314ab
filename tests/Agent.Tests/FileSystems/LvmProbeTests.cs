using System.Buffers.Binary;
using System.Text;
using Imprint.Agent.Disk;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.FileSystems;

/// <summary>
/// pvcreate needs a block device and root, so these tests write the LVM2 label the way LVM's format_text label code
/// lays it out (label_header + pv_header + disk areas, CRC over bytes 20..511) and let blkid confirm it is a valid PV.
/// </summary>
public sealed class LvmProbeTests
{
    private const string PvId = "Xy7Qk2Lm9Np4Rs6Tu8Vw0Yz1Ab3Cd5Ef";

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Reports_an_lvm2_physical_volume_label_in_any_of_the_first_four_sectors_like_blkid(int sector)
    {
        using var dir = new TempDirectory();
        var disk = dir.File("disk.img");
        var partition = ProbeImages.CreateDisk(disk, 16);
        WriteLabel(disk, partition, sector, corruptCrc: false);

        var found = ProbeImages.Probe(disk, partition);

        Assert.NotNull(found);
        Assert.Equal(FileSystemKind.LvmPhysicalVolume, found.Kind);
        Assert.Equal("Xy7Qk2-Lm9N-p4Rs-6Tu8-Vw0Y-z1Ab-3Cd5Ef", found.Uuid);
        Assert.Equal(partition.Length, found.SizeBytes);
        BlkidOracle.AssertAgrees(disk, partition.Offset, partition.Length, found);
    }

    [Fact]
    public void Ignores_an_lvm2_label_with_a_bad_crc_like_blkid()
    {
        using var dir = new TempDirectory();
        var disk = dir.File("disk.img");
        var partition = ProbeImages.CreateDisk(disk, 16);
        WriteLabel(disk, partition, 1, corruptCrc: true);

        Assert.Null(ProbeImages.Probe(disk, partition));
        Assert.Empty(BlkidOracle.Probe(disk, partition.Offset, partition.Length));
    }

    private static void WriteLabel(string disk, ByteRange partition, int sector, bool corruptCrc)
    {
        var label = new byte[512];
        Encoding.ASCII.GetBytes("LABELONE").CopyTo(label, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(label.AsSpan(8), (ulong)sector);
        BinaryPrimitives.WriteUInt32LittleEndian(label.AsSpan(20), 32);
        Encoding.ASCII.GetBytes("LVM2 001").CopyTo(label, 24);
        Encoding.ASCII.GetBytes(PvId).CopyTo(label, 32);
        BinaryPrimitives.WriteUInt64LittleEndian(label.AsSpan(64), (ulong)partition.Length);

        // One data area from 1 MiB to the end, a null terminator, one metadata area at 4 KiB, a null terminator.
        BinaryPrimitives.WriteUInt64LittleEndian(label.AsSpan(72), (ulong)TestDisks.MiB);
        BinaryPrimitives.WriteUInt64LittleEndian(label.AsSpan(104), 4096);
        BinaryPrimitives.WriteUInt64LittleEndian(label.AsSpan(112), (ulong)(TestDisks.MiB - 4096));
        var crc = LvmCrc(label.AsSpan(20)) ^ (corruptCrc ? 1u : 0u);
        BinaryPrimitives.WriteUInt32LittleEndian(label.AsSpan(16), crc);

        using var image = DiskImage.OpenWrite(disk);
        image.Write(partition.Offset + (sector * 512L), label);
    }

    // LVM2's calc_crc: CRC-32 (reflected 0xEDB88320) with initial value 0xf597a6cf and no final inversion.
    private static uint LvmCrc(ReadOnlySpan<byte> data)
    {
        var crc = 0xF597A6CFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return crc;
    }
}
