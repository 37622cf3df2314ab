using Imprint.Agent.Ext;
using Imprint.Agent.Guest;
using Imprint.Agent.Results;
using Imprint.Agent.Sealing;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Sealing;

public sealed class SealerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _image;
    private readonly long _offset;

    public SealerTests()
    {
        var tree = GuestTrees.DebianLike(_temp.File("tree"));
        GuestTrees.Write(tree, "var/lib/dbus/machine-id", "0123456789abcdef0123456789abcdef\n");
        GuestTrees.Write(tree, "home/debian/.bash_history", "sudo -i\n");
        GuestTrees.Write(tree, "home/debian/.ssh/authorized_keys", "ssh-ed25519 AAAA user\n");
        GuestTrees.Write(tree, "var/lib/dhcp/dhclient.eth0.leases", "lease {}\n");
        GuestTrees.Write(tree, "var/cache/apt/archives/vim_9.0_amd64.deb", "deb\n");
        GuestTrees.Write(tree, "var/lib/cloud/instances/i-123/obj.pkl", "state\n");
        GuestTrees.Write(tree, "var/log/cloud-init.log", "ci\n");
        GuestTrees.Write(tree, "tmp/.X0-lock", "0\n");
        GuestTrees.Write(tree, "tmp/build/output.o", "obj\n");
        GuestTrees.Write(tree, "etc/udev/rules.d/70-persistent-net.rules", "SUBSYSTEM==\"net\", ATTR{address}==\"52:54:00:aa:bb:cc\", NAME=\"eth0\"\n");
        GuestTrees.Write(tree, "etc/sysconfig/network-scripts/ifcfg-eth0", "DEVICE=eth0\nHWADDR=52:54:00:aa:bb:cc\nBOOTPROTO=dhcp\n");
        GuestTrees.Write(tree, "etc/passwd-", "old\n");
        GuestTrees.Write(tree, "var/spool/mail/root", "mail\n");
        GuestTrees.Write(tree, "etc/nginx/nginx.conf.bak", "backup\n");
        GuestTrees.Write(tree, "var/lib/important/data.db", "keep me\n");
        _image = _temp.File("disk.raw");
        TestDisks.CreateGpt(_image, 64, new PartitionSpec(1, "ef02"), new PartitionSpec(0));
        _offset = TestDisks.MakeExt(_image, 2, tree: tree);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Default_seal_removes_what_clones_must_not_share_and_keeps_everything_else()
    {
        var fs = await OpenAsync();

        var result = await Sealer.SealAsync(fs, SealOperationCatalog.Defaults, dryRun: false, CancellationToken.None);

        Sh.AssertFsckClean(_image, _offset);
        string[] gone =
        [
            "/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_rsa_key.pub", "/var/log/syslog", "/var/log/apt/history.log",
            "/root/.bash_history", "/home/debian/.bash_history", "/home/debian/.ssh", "/var/lib/dhcp/dhclient.eth0.leases",
            "/var/cache/apt/archives/vim_9.0_amd64.deb", "/var/lib/cloud/instances/i-123", "/var/log/cloud-init.log",
            "/tmp/.X0-lock", "/tmp/build", "/etc/udev/rules.d/70-persistent-net.rules", "/etc/passwd-",
            "/var/spool/mail/root", "/etc/nginx/nginx.conf.bak", "/var/lib/dbus/machine-id",
        ];
        Assert.All(gone, path => Assert.DoesNotContain("Inode:", Sh.DebugfsStat(_image, _offset, path), StringComparison.Ordinal));
        Assert.Equal("keep me\n", Sh.DebugfsCat(_image, _offset, "/var/lib/important/data.db"));
        Assert.Equal("DEVICE=eth0\nBOOTPROTO=dhcp\n", Sh.DebugfsCat(_image, _offset, "/etc/sysconfig/network-scripts/ifcfg-eth0"));
        Assert.Contains("Type: directory", Sh.DebugfsStat(_image, _offset, "/tmp"), StringComparison.Ordinal);
        var machineId = Sh.DebugfsStat(_image, _offset, "/etc/machine-id");
        Assert.Contains("Size: 0", machineId, StringComparison.Ordinal);
        Assert.Contains("Type: regular", machineId, StringComparison.Ordinal);
        Assert.Contains(result.Changes, c => c is { Operation: "machine-id", Path: "/etc/machine-id", Action: "truncated" });
        Assert.Contains(result.Changes, c => c is { Operation: "ssh-hostkeys", Path: "/etc/ssh/ssh_host_rsa_key" });
        Assert.Contains(result.Changes, c => c is { Operation: "net-hwaddr", Path: "/etc/sysconfig/network-scripts/ifcfg-eth0" });
    }

    [Fact]
    public async Task Sealing_twice_changes_nothing_the_second_time()
    {
        await Sealer.SealAsync(await OpenAsync(), SealOperationCatalog.Defaults, dryRun: false, CancellationToken.None);
        var hash = Sh.Sha256(_image);

        var second = await Sealer.SealAsync(await OpenAsync(), SealOperationCatalog.Defaults, dryRun: false, CancellationToken.None);

        Assert.Empty(second.Changes);
        Assert.Equal(hash, Sh.Sha256(_image));
    }

    [Fact]
    public async Task Dry_run_lists_the_changes_and_writes_nothing()
    {
        var hash = Sh.Sha256(_image);

        var result = await Sealer.SealAsync(await OpenAsync(), SealOperationCatalog.Defaults, dryRun: true, CancellationToken.None);

        Assert.True(result.DryRun);
        Assert.Contains(result.Changes, c => c.Path == "/etc/ssh/ssh_host_ed25519_key");
        Assert.Equal(hash, Sh.Sha256(_image));
    }

    [Fact]
    public async Task Only_the_selected_operations_run()
    {
        var result = await Sealer.SealAsync(await OpenAsync(), SealOperationCatalog.Select("ssh-hostkeys"), dryRun: false, CancellationToken.None);

        Assert.All(result.Changes, c => Assert.Equal("ssh-hostkeys", c.Operation));
        Assert.Equal("boot log\n", Sh.DebugfsCat(_image, _offset, "/var/log/syslog"));
        Assert.Equal("0123456789abcdef0123456789abcdef\n", Sh.DebugfsCat(_image, _offset, "/etc/machine-id"));
        Sh.AssertFsckClean(_image, _offset);
    }

    [Fact]
    public async Task Seal_that_changed_an_selinux_guest_asks_for_a_relabel_and_a_second_seal_changes_nothing()
    {
        var (image, offset) = SelinuxGuest("enforcing", withSealFodder: true);

        var result = await Sealer.SealAsync(await OpenAsync(image), SealOperationCatalog.Defaults, dryRun: false, CancellationToken.None);
        var hash = Sh.Sha256(image);
        var second = await Sealer.SealAsync(await OpenAsync(image), SealOperationCatalog.Defaults, dryRun: false, CancellationToken.None);

        Sh.AssertFsckClean(image, offset);
        var relabel = Sh.DebugfsStat(image, offset, "/.autorelabel");
        Assert.Contains("Type: regular", relabel, StringComparison.Ordinal);
        Assert.Contains("Size: 0", relabel, StringComparison.Ordinal);
        Assert.Contains(result.Changes, c => c is { Operation: "ssh-hostkeys", Path: "/etc/ssh/ssh_host_ed25519_key" });
        Assert.Equal(new ChangeReport("selinux-relabel", "/.autorelabel", "created"), result.Changes[^1]);
        Assert.Empty(second.Changes);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public async Task Dry_run_of_a_seal_on_an_selinux_guest_reports_the_relabel_and_writes_nothing()
    {
        var (image, _) = SelinuxGuest("permissive", withSealFodder: true);
        var hash = Sh.Sha256(image);

        var result = await Sealer.SealAsync(await OpenAsync(image), SealOperationCatalog.Defaults, dryRun: true, CancellationToken.None);

        Assert.Contains(result.Changes, c => c is { Operation: "selinux-relabel", Path: "/.autorelabel", Action: "created" });
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public async Task Seal_with_nothing_to_change_on_an_selinux_guest_asks_for_no_relabel()
    {
        var (image, offset) = SelinuxGuest("enforcing", withSealFodder: false);
        var hash = Sh.Sha256(image);

        var result = await Sealer.SealAsync(await OpenAsync(image), SealOperationCatalog.Defaults, dryRun: false, CancellationToken.None);

        Assert.Empty(result.Changes);
        Assert.DoesNotContain("Inode:", Sh.DebugfsStat(image, offset, "/.autorelabel"), StringComparison.Ordinal);
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Theory]
    [InlineData("disabled")]
    [InlineData(null)]
    public async Task Seal_of_a_guest_without_selinux_writes_no_relabel_flag(string? selinux)
    {
        var (image, offset) = selinux is null ? (_image, _offset) : SelinuxGuest(selinux, withSealFodder: true);

        var result = await Sealer.SealAsync(await OpenAsync(image), SealOperationCatalog.Defaults, dryRun: false, CancellationToken.None);

        Assert.NotEmpty(result.Changes);
        Assert.DoesNotContain(result.Changes, c => c.Operation == "selinux-relabel");
        Assert.DoesNotContain("Inode:", Sh.DebugfsStat(image, offset, "/.autorelabel"), StringComparison.Ordinal);
    }

    /// <summary>A Rocky 8 guest with SELinux in <paramref name="mode"/>; with host keys and a log to seal, or already sealed.</summary>
    private (string Image, long Offset) SelinuxGuest(string mode, bool withSealFodder)
    {
        var tree = GuestFlavors.RockyLegacy(_temp.File($"selinux-{mode}-{withSealFodder}"), mode);
        GuestTrees.Write(tree, "etc/sysconfig/network-scripts/ifcfg-eth0", "DEVICE=eth0\nBOOTPROTO=dhcp\nONBOOT=yes\n");
        if (withSealFodder)
        {
            GuestTrees.Write(tree, "etc/ssh/ssh_host_ed25519_key", "PRIVATE\n", 0b110_100_000);
            GuestTrees.Write(tree, "etc/ssh/ssh_host_ed25519_key.pub", "ssh-ed25519 AAAA golden\n");
            GuestTrees.Write(tree, "var/log/messages", "boot\n");
            GuestTrees.Write(tree, "etc/machine-id", "0123456789abcdef0123456789abcdef\n");
        }
        else
        {
            File.WriteAllText(Path.Combine(tree, "etc/machine-id"), string.Empty);
        }

        var image = _temp.File($"selinux-{mode}-{withSealFodder}.raw");
        TestDisks.CreateGpt(image, 64, new PartitionSpec(1, "ef02"), new PartitionSpec(0));
        return (image, TestDisks.MakeExt(image, 2, tree: tree));
    }

    private Task<IGuestFileSystem> OpenAsync() => OpenAsync(_image);

    private static Task<IGuestFileSystem> OpenAsync(string image)
    {
        var (offset, length) = TestDisks.PartitionRange(image, 2);
        return Task.FromResult<IGuestFileSystem>(new ExtGuestFileSystem(new ExtFileSystem(image, new Imprint.Agent.Disk.ByteRange(offset, length)), GuestAccess.ReadWrite));
    }
}
