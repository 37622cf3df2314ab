using Imprint.Agent.Disk;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.FileSystems;

/// <summary>Builds GPT disks holding one filesystem in partition 1 and probes them read-only.</summary>
public static class ProbeImages
{
    /// <summary>A sparse GPT disk with partition 1 of <paramref name="partitionMiB"/>; returns its byte range.</summary>
    public static ByteRange CreateDisk(string disk, long partitionMiB)
    {
        TestDisks.CreateGpt(disk, partitionMiB + 2, new PartitionSpec(partitionMiB));
        var (offset, length) = TestDisks.PartitionRange(disk, 1);
        return new ByteRange(offset, length);
    }

    /// <summary>
    /// Copies a filesystem made in its own file (for tools that cannot write at an offset) into the partition;
    /// <c>conv=sparse</c> keeps the disk sparse.
    /// </summary>
    public static void CopyInto(string disk, ByteRange partition, string fsFile)
    {
        Assert.True(new FileInfo(fsFile).Length <= partition.Length, $"{fsFile} does not fit in {partition}");
        Sh.Run("dd", $"if={fsFile}", $"of={disk}", "bs=65536", $"seek={partition.Offset}", "oflag=seek_bytes", "conv=notrunc,sparse", "status=none");
    }

    /// <summary>Makes the filesystem with <paramref name="make"/> in a sparse file of <paramref name="sizeMiB"/>, then
    /// places it in partition 1 of a fresh disk.</summary>
    public static ByteRange DiskWith(TempDirectory dir, long sizeMiB, Action<string> make)
    {
        var fsFile = dir.File("fs.img");
        TestDisks.CreateSparse(fsFile, sizeMiB * TestDisks.MiB);
        make(fsFile);
        var disk = dir.File("disk.img");
        var partition = CreateDisk(disk, sizeMiB);
        CopyInto(disk, partition, fsFile);
        File.Delete(fsFile);
        return partition;
    }

    /// <summary>Overwrites bytes of an image in place, to corrupt metadata on purpose.</summary>
    public static void Patch(string path, long offset, ReadOnlySpan<byte> bytes)
    {
        using var image = DiskImage.OpenWrite(path);
        image.Write(offset, bytes);
    }

    public static DetectedFileSystem? Probe(string disk, ByteRange range)
    {
        using var image = DiskImage.OpenRead(disk);
        return FileSystemProbe.Probe(image, range);
    }
}
