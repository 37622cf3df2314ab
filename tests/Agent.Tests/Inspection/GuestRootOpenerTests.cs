using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Ext;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Guest;
using Imprint.Agent.Inspection;
using Imprint.Agent.Tests.Guest;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Inspection;

public sealed class GuestRootOpenerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task An_ext_root_opens_with_e2fsprogs_and_keeps_the_inspection()
    {
        var disk = _temp.File("debian.raw");
        TestDisks.CreateGpt(disk, 40, new PartitionSpec(8, "ef00"), new PartitionSpec(0));
        TestDisks.MakeExt(disk, 2, tree: GuestFlavors.Debian(_temp.File("tree")));
        var appliance = new RecordingApplianceFactory();
        var inspection = await DiskInspector.InspectAsync(disk, CancellationToken.None);

        using var guest = await GuestRootOpener.OpenAsync(inspection, GuestAccess.ReadOnly, new GuestFileSystemOpener(appliance), CancellationToken.None);

        Assert.Equal(GuestEngineName.E2fsprogs, guest.Engine);
        Assert.Same(inspection, guest.Inspection);
        Assert.Equal(new GuestRootLocation(disk, FileSystemKind.Ext4, GuestRootLayout.Partition, inspection.Root!.Partition.Range, 2) { Uuid = inspection.Root.FileSystem!.Uuid }, guest.Root);
        Assert.Equal("debian", guest.Facts.Distro);
        Assert.Empty(appliance.Opened);
    }

    [Fact]
    public async Task Without_an_ext_root_the_appliance_looks_inside_the_largest_candidate_first_and_inspects_through_it()
    {
        // Two xfs partitions the appliance stand-in answers for: the bigger one is looked at first but holds no root,
        // so the smaller one is opened next and the guest is inspected through that handle.
        var disk = _temp.File("rocky.raw");
        TestDisks.CreateGpt(disk, 720, new PartitionSpec(310), new PartitionSpec(0));
        PutXfs(disk, 1);
        PutXfs(disk, 2);
        var notRoot = StandInImage("data.raw", root => GuestTrees.Write(root, "srv/data.txt", "data\n"));
        var rocky = StandInImage("rocky-root.raw", root => GuestFlavors.Rocky(root));
        var opened = new List<ExtGuestFileSystem>();
        var appliance = new RecordingApplianceFactory(location =>
        {
            var standIn = StandIn(location.PartitionNumber == 1 ? rocky : notRoot);
            opened.Add(standIn);
            return standIn;
        });
        var inspection = await DiskInspector.InspectAsync(disk, CancellationToken.None);

        using var guest = await GuestRootOpener.OpenAsync(inspection, GuestAccess.ReadWrite, new GuestFileSystemOpener(appliance), CancellationToken.None);

        Assert.Null(inspection.Root);
        Assert.Equal([2, 1], appliance.Opened.Select(o => o.Root.PartitionNumber));
        Assert.All(appliance.Opened, o => Assert.Equal((FileSystemKind.Xfs, GuestRootLayout.Partition, GuestAccess.ReadWrite), (o.Root.Kind, o.Root.Layout, o.Access)));
        Assert.Equal(inspection.Partitions[0].Partition.Range, guest.Root.Range);
        Assert.Same(opened[1], guest.FileSystem);
        Assert.Equal(1, guest.Inspection.Root!.Partition.Number);
        Assert.Equal(("rocky", GuestFamily.RedHat), (guest.Facts.Distro, guest.Facts.Family));
        Assert.Equal(1, guest.Inspection.ToGuestReport()!.RootPartition);
        Assert.False(opened[0].FileSystem.HasOpenReadSession); // the candidate that was no root was closed
    }

    [Fact]
    public async Task Xfs_without_an_appliance_engine_ends_with_todays_exit_5()
    {
        var disk = _temp.File("xfs.raw");
        TestDisks.CreateGpt(disk, 320, new PartitionSpec(0));
        PutXfs(disk, 1);
        var inspection = await DiskInspector.InspectAsync(disk, CancellationToken.None);

        var error = await Assert.ThrowsAsync<ImprintException>(() => GuestRootOpener.OpenAsync(inspection, GuestAccess.ReadWrite, new GuestFileSystemOpener(null), CancellationToken.None));

        Assert.Equal(ExitCode.Unsupported, error.Code);
        Assert.Contains("partition 1 holds xfs", error.Message, StringComparison.Ordinal);
        Assert.Contains("ext2/3/4 only", error.Message, StringComparison.Ordinal);
    }

    private static ExtGuestFileSystem StandIn(string image) =>
        new(new ExtFileSystem(image, new ByteRange(0, new FileInfo(image).Length)), GuestAccess.ReadWrite);

    private void PutXfs(string disk, int partition)
    {
        var (offset, length) = TestDisks.PartitionRange(disk, partition);
        var fs = _temp.File($"xfs-{partition}.img");
        TestDisks.CreateSparse(fs, length);
        Sh.Run("mkfs.xfs", "-q", fs);
        Sh.Run("dd", $"if={fs}", $"of={disk}", "bs=1M", $"seek={offset / TestDisks.MiB}", "conv=notrunc,sparse", "status=none");
        File.Delete(fs);
    }

    private string StandInImage(string name, Action<string> fill)
    {
        var tree = _temp.File(name + ".tree");
        Directory.CreateDirectory(tree);
        fill(tree);
        var image = _temp.File(name);
        TestDisks.CreateSparse(image, 16 * TestDisks.MiB);
        Sh.Run("mke2fs", "-q", "-F", "-t", "ext4", "-d", tree, image);
        return image;
    }
}
