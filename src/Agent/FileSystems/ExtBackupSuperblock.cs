using System.Buffers.Binary;
using Imprint.Agent.Disk;

namespace Imprint.Agent.FileSystems;

/// <summary>
/// Looks for the backup ext superblock of block group 1 where mke2fs puts it for each block size. A range whose
/// primary superblock is unrecognisable but that holds such a backup is a damaged ext filesystem (malformed, exit 4),
/// not an empty partition; <c>e2fsck -b BLOCK</c> can repair it from the backup.
/// </summary>
public static class ExtBackupSuperblock
{
    private const int SuperblockSize = 1024;

    /// <summary>The block number (in its own block size) and block size of a group-1 backup, or null when none is found.</summary>
    public static (long Block, long BlockSize)? Find(DiskImage disk, ByteRange range)
    {
        ArgumentNullException.ThrowIfNull(disk);
        var window = new ProbeWindow(disk, range);
        for (var log = 0; log <= 6; log++)
        {
            var blockSize = 1024L << log;
            var firstDataBlock = log == 0 ? 1 : 0;
            var block = firstDataBlock + (8 * blockSize); // a group has 8 × blockSize blocks (one bitmap block)
            var sb = window.Read(block * blockSize, SuperblockSize);
            if (sb is not null &&
                BinaryPrimitives.ReadUInt16LittleEndian(sb.AsSpan(0x38)) == 0xEF53 &&
                BinaryPrimitives.ReadUInt32LittleEndian(sb.AsSpan(0x18)) == (uint)log &&
                BinaryPrimitives.ReadUInt16LittleEndian(sb.AsSpan(0x5A)) == 1)
            {
                return (block, blockSize);
            }
        }

        return null;
    }
}
