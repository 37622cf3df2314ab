using Imprint.Agent.Customization;
using Imprint.Agent.Customization.Spec;
using Imprint.Agent.Guest;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Customization;

/// <summary>
/// RHEL-family, Fedora and openSUSE specifics on ext guests built with mkfs.ext4 -d from look-alike trees; debugfs
/// reads and e2fsck -fn are the oracles.
/// </summary>
public sealed class DistroCustomizationTests : IDisposable
{
    private const string StaticNetwork = """
        hostname: app-01
        network: { interfaces: [{ name: eth0, addresses: [192.0.2.10/24], gateway4: 192.0.2.1, nameservers: [192.0.2.53], searchDomains: [lab.example] }] }
        sshHostKeys: Keep
        machineId: Keep
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Rocky_9_gets_hostname_a_0600_networkmanager_keyfile_and_an_autorelabel_and_a_rerun_changes_nothing()
    {
        var (image, offset) = Build(root => GuestFlavors.RockyLegacy(root, "enforcing"), dropIfcfg: true);
        var spec = CustomizationSpecLoader.Parse(StaticNetwork);

        var (result, inspection) = await GuestCustomization.RunAsync(image, spec, new CustomizeOptions(), CancellationToken.None);
        var (again, _) = await GuestCustomization.RunAsync(image, spec, new CustomizeOptions(), CancellationToken.None);

        Assert.Equal(("networkmanager", "enforcing"), (inspection.Guest!.NetworkStyle, inspection.Guest.Selinux));
        Assert.Equal(GuestEngineName.E2fsprogs, result.Engine);
        Assert.Equal("app-01\n", Sh.DebugfsCat(image, offset, "/etc/hostname"));
        Assert.Equal("NETWORKING=yes\nHOSTNAME=app-01\n", Sh.DebugfsCat(image, offset, "/etc/sysconfig/network"));
        var keyfile = "/etc/NetworkManager/system-connections/imprint-eth0.nmconnection";
        Assert.Contains("address1=192.0.2.10/24,192.0.2.1\n", Sh.DebugfsCat(image, offset, keyfile), StringComparison.Ordinal);
        Assert.Contains("Mode:  0600", Sh.DebugfsStat(image, offset, keyfile), StringComparison.Ordinal);
        var relabel = Sh.DebugfsStat(image, offset, "/.autorelabel");
        Assert.Contains("Type: regular    Mode:  0644", relabel, StringComparison.Ordinal);
        Assert.Contains("Size: 0", relabel, StringComparison.Ordinal);
        Assert.Equal("created", Assert.Single(result.Changes, c => c.Operation == "selinux-relabel").Action);
        Assert.Equal("/.autorelabel", result.Changes[^1].Path);
        Assert.Empty(again.Changes);
        Sh.AssertFsckClean(image, offset);
    }

    [Fact]
    public async Task Rocky_8_with_ifcfg_scripts_gets_a_static_ifcfg_and_permissive_selinux_still_relabels()
    {
        var (image, offset) = Build(root => GuestFlavors.RockyLegacy(root, "permissive"));

        var (result, inspection) = await GuestCustomization.RunAsync(image, CustomizationSpecLoader.Parse(StaticNetwork), new CustomizeOptions(), CancellationToken.None);

        Assert.Equal("ifcfg", inspection.Guest!.NetworkStyle);
        var ifcfg = Sh.DebugfsCat(image, offset, "/etc/sysconfig/network-scripts/ifcfg-eth0");
        Assert.Contains("BOOTPROTO=none\nIPADDR=192.0.2.10\nPREFIX=24\nGATEWAY=192.0.2.1\n", ifcfg, StringComparison.Ordinal);
        Assert.Contains("DNS1=192.0.2.53\n", ifcfg, StringComparison.Ordinal);
        Assert.Contains("Type: regular", Sh.DebugfsStat(image, offset, "/.autorelabel"), StringComparison.Ordinal);
        Assert.Contains(result.Changes, c => c is { Operation: "selinux-relabel", Path: "/.autorelabel" });
        Sh.AssertFsckClean(image, offset);
    }

    [Fact]
    public async Task Selinux_disabled_or_absent_gets_no_autorelabel()
    {
        var (disabled, disabledOffset) = Build(root => GuestFlavors.RockyLegacy(root, "disabled"));
        var (debian, debianOffset) = Build(GuestFlavors.Debian);
        var spec = CustomizationSpecLoader.Parse("hostname: app-01\nsshHostKeys: Keep\nmachineId: Keep\n");

        var (onDisabled, _) = await GuestCustomization.RunAsync(disabled, spec, new CustomizeOptions(), CancellationToken.None);
        var (onDebian, _) = await GuestCustomization.RunAsync(debian, spec, new CustomizeOptions(), CancellationToken.None);

        Assert.Contains(onDisabled.Changes, c => c.Path == "/etc/hostname");
        Assert.Contains(onDebian.Changes, c => c.Path == "/etc/hostname");
        Assert.DoesNotContain(onDisabled.Changes.Concat(onDebian.Changes), c => c.Operation == "selinux-relabel");
        Assert.DoesNotContain("Inode:", Sh.DebugfsStat(disabled, disabledOffset, "/.autorelabel"), StringComparison.Ordinal);
        Assert.DoesNotContain("Inode:", Sh.DebugfsStat(debian, debianOffset, "/.autorelabel"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fedora_dry_run_reports_the_keyfile_and_the_relabel_and_writes_nothing()
    {
        var (image, _) = Build(GuestFlavors.Fedora);
        var hash = Sh.Sha256(image);

        var (result, inspection) = await GuestCustomization.RunAsync(image, CustomizationSpecLoader.Parse(StaticNetwork), new CustomizeOptions { DryRun = true }, CancellationToken.None);

        Assert.Equal(("fedora", "networkmanager", "enforcing"), (inspection.Guest!.Distro, inspection.Guest.NetworkStyle, inspection.Guest.Selinux));
        Assert.Contains(result.Changes, c => c is { Operation: "network", Path: "/etc/NetworkManager/system-connections/imprint-eth0.nmconnection", Action: "created" });
        Assert.Contains(result.Changes, c => c is { Operation: "selinux-relabel", Path: "/.autorelabel", Action: "created" });
        Assert.Equal(hash, Sh.Sha256(image));
    }

    [Fact]
    public async Task OpenSuse_gets_both_hostname_files_wicked_ifcfg_ifroute_and_netconfig_resolvers()
    {
        var (image, offset) = Build(GuestFlavors.OpenSuse);

        var (result, inspection) = await GuestCustomization.RunAsync(image, CustomizationSpecLoader.Parse(StaticNetwork), new CustomizeOptions(), CancellationToken.None);

        Assert.Equal((GuestFamily.Suse, "wicked"), (inspection.Guest!.Family, inspection.Guest.NetworkStyle));
        Assert.Equal("app-01\n", Sh.DebugfsCat(image, offset, "/etc/hostname"));
        Assert.Equal("app-01\n", Sh.DebugfsCat(image, offset, "/etc/HOSTNAME"));
        Assert.Equal("# Written by imprint.\nSTARTMODE='auto'\nBOOTPROTO='static'\nIPADDR='192.0.2.10/24'\n", Sh.DebugfsCat(image, offset, "/etc/sysconfig/network/ifcfg-eth0"));
        Assert.Contains("Mode:  0600", Sh.DebugfsStat(image, offset, "/etc/sysconfig/network/ifcfg-eth0"), StringComparison.Ordinal);
        Assert.Equal("# Written by imprint.\ndefault 192.0.2.1 - eth0\n", Sh.DebugfsCat(image, offset, "/etc/sysconfig/network/ifroute-eth0"));
        Assert.Equal(
            "## Type: string\nNETCONFIG_MODULES_ORDER=\"dns-resolver dns-bind\"\nNETCONFIG_DNS_STATIC_SERVERS=\"192.0.2.53\"\nNETCONFIG_DNS_STATIC_SEARCHLIST=\"lab.example\"\n",
            Sh.DebugfsCat(image, offset, "/etc/sysconfig/network/config"));
        Assert.DoesNotContain(result.Changes, c => c.Operation == "selinux-relabel");
        Sh.AssertFsckClean(image, offset);
    }

    private (string Image, long Offset) Build(Func<string, string> flavor, bool dropIfcfg = false)
    {
        var tree = flavor(_temp.File("tree-" + Guid.NewGuid().ToString("N")));
        if (dropIfcfg)
        {
            Directory.Delete(Path.Combine(tree, "etc/sysconfig/network-scripts"), recursive: true);
        }

        var image = _temp.File("disk-" + Guid.NewGuid().ToString("N") + ".raw");
        TestDisks.CreateGpt(image, 40, new PartitionSpec(1, "ef02"), new PartitionSpec(0));
        return (image, TestDisks.MakeExt(image, 2, tree: tree));
    }
}
