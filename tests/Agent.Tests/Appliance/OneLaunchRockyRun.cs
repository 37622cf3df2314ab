using System.Diagnostics;
using Imprint.Agent.Appliance;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;
using Imprint.Agent.FileSystems;
using Imprint.Agent.Guest;
using Imprint.Agent.Inspection;
using Imprint.Agent.Partitions;
using Imprint.Agent.Sealing;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Appliance;

/// <summary>
/// One run of the libguestfs engine on a copy of the Rocky xfs guest, as a clone of a golden would do it: the image
/// and partition 2 grown by our own code first, then ONE appliance launch that inspects, dry-runs, seals (the default
/// operations), customizes (an edit batch), tries two batches that must fail whole, grows xfs and commits. Then the
/// oracles, once: one guestfish launch reads everything back, xfs_repair -n checks the extracted root, e2fsck -fn
/// /boot, sgdisk -v the table. The tests of <see cref="ApplianceGuestFileSystemTests"/> assert on what was recorded.
/// </summary>
public sealed class OneLaunchRockyRun : IDisposable
{
    public const long GrownDiskBytes = 1024 * TestDisks.MiB;

    private readonly TempDirectory _temp = new();

    public OneLaunchRockyRun()
    {
        Image = ApplianceGuests.CopyRockyXfs(_temp.File("clone.img"));
        var stopwatch = Stopwatch.StartNew();

        // Our own partition code, before the launch (as the clone command does).
        PartitionTable table;
        using (var disk = DiskImage.OpenWrite(Image))
        {
            disk.GrowTo(GrownDiskBytes);
            table = PartitionTableReader.Read(disk);
            var plan = GrowPartition.Plan(table with { DiskLength = disk.Length }, 2);
            GrowPartition.Apply(disk, plan);
            table = PartitionTableReader.Read(disk);
        }

        var root = new GuestRootLocation(Image, FileSystemKind.Xfs, GuestRootLayout.Partition, table.Find(2)!.Range, 2);
        var callsBefore = ApplianceSession.Calls;
        using (var fs = LibguestfsEngine.Open(root, GuestAccess.ReadWrite, CancellationToken.None))
        {
            Mounts = fs.Mounts;
            LooksLikeRoot = GuestInspector.LooksLikeRootAsync(fs, CancellationToken.None).GetAwaiter().GetResult();
            Facts = GuestInspector.InspectAsync(fs, CancellationToken.None).GetAwaiter().GetResult();

            DryRun = fs.PlanAsync(CustomizeBatch(), CancellationToken.None).GetAwaiter().GetResult();
            HostnameAfterDryRun = fs.TryReadTextAsync("/etc/hostname", CancellationToken.None).GetAwaiter().GetResult();

            SealChanges = Seal(fs);
            CustomizeChanges = fs.ApplyAsync(CustomizeBatch(), CancellationToken.None).GetAwaiter().GetResult();
            ReappliedChanges = fs.ApplyAsync(CustomizeBatch(), CancellationToken.None).GetAwaiter().GetResult();

            // Each must fail whole: its first operation would have written.
            MissingDirectoryError = Assert.ThrowsAny<ImprintException>(() => fs.ApplyAsync(
                new GuestEditBatch().WriteText("/etc/must-not-exist", "x").WriteText("/no/such/dir/file", "x"), CancellationToken.None).GetAwaiter().GetResult());
            DirectoryConflictError = Assert.ThrowsAny<ImprintException>(() => fs.ApplyAsync(
                new GuestEditBatch().WriteText("/etc/must-not-exist", "x").WriteText("/etc/ssh", "x"), CancellationToken.None).GetAwaiter().GetResult());
            ExistsAfterFailedBatches = fs.StatAsync("/etc/must-not-exist", CancellationToken.None).GetAwaiter().GetResult() is not null;

            Grow = fs.GrowToFillAsync(root, CancellationToken.None).GetAwaiter().GetResult();
            fs.CommitAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        Elapsed = stopwatch.Elapsed;
        ApplianceCalls = ApplianceSession.Calls - callsBefore;

        ReadBack = Guestfish.Run(
            """
            mount /dev/sda2 /
            mount /dev/sda1 /boot
            echo ==hostname
            cat /etc/hostname
            echo ==machine-id
            filesize /etc/machine-id
            echo ==ssh
            glob-expand /etc/ssh/ssh_host_*
            echo ==nm
            ls /etc/NetworkManager/system-connections
            echo ==logs
            exists /var/log/messages
            echo ==history
            exists /root/.bash_history
            echo ==motd
            cat /etc/motd.d/imprint
            echo ==motd-stat
            lstatns /etc/motd.d/imprint
            echo ==link
            readlink /etc/imprint-link
            echo ==dir
            lstatns /opt/imprint/cache
            echo ==relabel
            exists /.autorelabel
            echo ==boot
            cat /boot/grub2/grub.cfg
            echo ==size
            statvfs /
            echo ==end
            """,
            readOnly: true,
            Image);

        var partition = TestDisks.PartitionRange(Image, 2);
        var extracted = _temp.File("root.xfs");
        Sh.Run("dd", $"if={Image}", $"of={extracted}", "bs=1M", $"skip={partition.Offset / TestDisks.MiB}", $"count={partition.Length / TestDisks.MiB}", "conv=sparse", "status=none");
        XfsRepair = Sh.RunResult("xfs_repair", ["-n", "-f", extracted], accept: [0, 1]);
        File.Delete(extracted);
    }

    public string Image { get; }

    public ApplianceMounts Mounts { get; }

    public bool LooksLikeRoot { get; }

    public GuestFacts Facts { get; }

    public IReadOnlyList<GuestChange> DryRun { get; }

    public string? HostnameAfterDryRun { get; }

    public IReadOnlyList<GuestChange> SealChanges { get; }

    public IReadOnlyList<GuestChange> CustomizeChanges { get; }

    public IReadOnlyList<GuestChange> ReappliedChanges { get; }

    public ImprintException MissingDirectoryError { get; }

    public ImprintException DirectoryConflictError { get; }

    public bool ExistsAfterFailedBatches { get; }

    public GuestGrowResult Grow { get; }

    /// <summary>Wall time of grow (host) + launch + inspect + seal + customize + grow + commit.</summary>
    public TimeSpan Elapsed { get; }

    public long ApplianceCalls { get; }

    public string ReadBack { get; }

    public Imprint.Agent.Tools.ToolResult XfsRepair { get; }

    /// <summary>The part of the read-back between "==name" and the next marker.</summary>
    public string Section(string name)
    {
        var start = ReadBack.IndexOf($"=={name}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section {name} in:\n{ReadBack}");
        start += name.Length + 3;
        var end = ReadBack.IndexOf("\n==", start - 1, StringComparison.Ordinal);
        return ReadBack[start..(end < 0 ? ReadBack.Length : end + 1)].Trim();
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>A customization as the customizer builds it: hostname, a file with mode and owner in a new folder, a symlink, chmod/chown.</summary>
    private static GuestEditBatch CustomizeBatch() => new GuestEditBatch()
        .WriteText("/etc/hostname", "clone-1\n")
        .MkdirP("/etc/motd.d")
        .WriteText("/etc/motd.d/imprint", "built by imprint\n", 0b110_100_000, 1000, 1000)
        .Symlink("/etc/imprint-link", "motd.d/imprint")
        .MkdirP("/opt/imprint/cache", 0b111_101_000 | 0x400, 1000, 1000)
        .Chmod("/etc/motd.d", 0b111_101_101)
        .Chown("/etc/motd.d", null, 1000);

    /// <summary>The default seal operations, planned from the engine's reads and applied as one batch (what Sealer does).</summary>
    private static IReadOnlyList<GuestChange> Seal(IGuestFileSystem fs)
    {
        var batch = new GuestEditBatch();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in SealOperationCatalog.Defaults)
        {
            foreach (var edit in operation.PlanAsync(fs, CancellationToken.None).GetAwaiter().GetResult())
            {
                if (!seen.Add(edit.Path))
                {
                    continue;
                }

                var stat = fs.StatAsync(edit.Path, CancellationToken.None).GetAwaiter().GetResult();
                _ = edit.Kind switch
                {
                    GuestEditKind.Delete when stat is { Kind: GuestFileKind.Directory } => batch.DeleteTree(edit.Path),
                    GuestEditKind.Delete => batch.Delete(edit.Path),
                    GuestEditKind.Truncate => batch.Truncate(edit.Path),
                    _ => batch.WriteText(edit.Path, edit.NewContent ?? string.Empty),
                };
            }
        }

        return fs.ApplyAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
    }
}
