using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.Ext;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Guest;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Guest;

public sealed class GuestFileSystemOpenerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(FileSystemKind.Ext2, GuestRootLayout.Partition)]
    [InlineData(FileSystemKind.Ext4, GuestRootLayout.BareFileSystem)]
    [InlineData(FileSystemKind.Ext4, GuestRootLayout.LogicalVolume)]
    public async Task Ext_at_a_byte_range_opens_with_e2fsprogs_and_never_asks_the_appliance(FileSystemKind kind, GuestRootLayout layout)
    {
        // The filesystem sits 3 MiB into a plain file, as a linear LV's segment sits inside its PV.
        var disk = _temp.File("pv.raw");
        TestDisks.CreateSparse(disk, 24 * TestDisks.MiB);
        var tree = GuestTrees.DebianLike(_temp.File("tree"));
        Sh.Run("mke2fs", "-q", "-F", "-t", kind.ToString().ToLowerInvariant(), "-E", $"offset={3 * TestDisks.MiB}", "-d", tree, disk, "16M");
        var appliance = new RecordingApplianceFactory();
        var opener = new GuestFileSystemOpener(appliance);
        var root = new GuestRootLocation(disk, kind, layout, new ByteRange(3 * TestDisks.MiB, 16 * TestDisks.MiB), 2) { LogicalVolume = layout == GuestRootLayout.LogicalVolume ? "vg0/root" : null };

        using var guest = await opener.OpenAsync(root, GuestAccess.ReadOnly, CancellationToken.None);

        Assert.Equal(GuestEngineName.E2fsprogs, opener.EngineFor(root));
        Assert.Equal(GuestEngineName.E2fsprogs, guest.EngineName);
        Assert.IsType<ExtGuestFileSystem>(guest);
        Assert.Equal("golden\n", await guest.TryReadTextAsync("/etc/hostname", CancellationToken.None));
        Assert.IsType<ExtFileSystemGrower>(opener.GrowerFor(root));
        Assert.Empty(appliance.Opened);
    }

    [Theory]
    [InlineData(FileSystemKind.Xfs, GuestRootLayout.Partition, true)]
    [InlineData(FileSystemKind.Btrfs, GuestRootLayout.BareFileSystem, true)]
    [InlineData(FileSystemKind.LvmPhysicalVolume, GuestRootLayout.LogicalVolume, false)]
    [InlineData(FileSystemKind.Ext4, GuestRootLayout.LogicalVolume, false)] // a striped LV: not one byte range
    public async Task Everything_else_goes_to_the_appliance_engine_with_the_location_and_access(FileSystemKind kind, GuestRootLayout layout, bool contiguous)
    {
        var standIn = _temp.File("stand-in.raw");
        TestDisks.CreateSparse(standIn, 16 * TestDisks.MiB);
        Sh.Run("mke2fs", "-q", "-F", "-t", "ext4", "-d", GuestTrees.DebianLike(_temp.File("tree")), standIn);
        var appliance = new RecordingApplianceFactory(_ => new ExtGuestFileSystem(new ExtFileSystem(standIn, new ByteRange(0, 16 * TestDisks.MiB)), GuestAccess.ReadWrite));
        var opener = new GuestFileSystemOpener(appliance);
        var root = new GuestRootLocation(_temp.File("disk.raw"), kind, layout, contiguous ? new ByteRange(TestDisks.MiB, 64 * TestDisks.MiB) : null, 2);

        using var guest = await opener.OpenAsync(root, GuestAccess.ReadWrite, CancellationToken.None);
        var grown = await opener.GrowerFor(root).GrowToFillAsync(root, CancellationToken.None);

        Assert.Equal(GuestEngineName.Libguestfs, opener.EngineFor(root));
        Assert.Equal([(root, GuestAccess.ReadWrite)], appliance.Opened);
        Assert.Equal([root], appliance.Grown);
        Assert.Equal(GuestEngineName.Libguestfs, grown.Engine);
        Assert.Equal("golden\n", await guest.TryReadTextAsync("/etc/hostname", CancellationToken.None));
    }

    [Fact]
    public async Task Without_an_appliance_engine_a_non_ext_root_is_refused_with_exit_5_naming_it()
    {
        var opener = new GuestFileSystemOpener(null);
        var root = new GuestRootLocation("/images/rocky.raw", FileSystemKind.Xfs, GuestRootLayout.Partition, new ByteRange(TestDisks.MiB, 64 * TestDisks.MiB), 4);

        var error = await Assert.ThrowsAsync<ImprintException>(() => opener.OpenAsync(root, GuestAccess.ReadOnly, CancellationToken.None));
        var growError = Assert.Throws<ImprintException>(() => opener.GrowerFor(root));

        Assert.Equal(ExitCode.Unsupported, error.Code);
        Assert.Equal("partition 4 of '/images/rocky.raw' holds xfs; editing it needs the libguestfs engine, which this build does not have (ext2/3/4 only)", error.Message);
        Assert.Equal(ExitCode.Unsupported, growError.Code);
    }

    [Fact]
    public async Task An_appliance_engine_that_cannot_run_here_is_refused_with_its_reason()
    {
        var appliance = new RecordingApplianceFactory(unavailableReason: "libguestfs.so.0 is not installed");
        var opener = new GuestFileSystemOpener(appliance);
        var root = new GuestRootLocation("/images/fedora.raw", FileSystemKind.Btrfs, GuestRootLayout.LogicalVolume, null, 3) { LogicalVolume = "fedora/root" };

        var error = await Assert.ThrowsAsync<ImprintException>(() => opener.OpenAsync(root, GuestAccess.ReadOnly, CancellationToken.None));

        Assert.Equal(ExitCode.Unsupported, error.Code);
        Assert.Contains("logical volume fedora/root in partition 3", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("which cannot run here: libguestfs.so.0 is not installed", error.Message, StringComparison.Ordinal);
        Assert.Empty(appliance.Opened);
    }
}
