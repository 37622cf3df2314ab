using Imprint.Agent.Guest;
using Imprint.Agent.Inspection;

namespace Imprint.Agent.Tests.Inspection;

public sealed class InspectionParsersTests
{
    [Fact]
    public void Parses_os_release_with_quotes_comments_and_escapes()
    {
        var release = OsRelease.Parse("# comment\nNAME=\"Rocky Linux\"\nVERSION_ID='9.4'\nID=rocky\nID_LIKE=\"rhel centos fedora\"\nPRETTY_NAME=\"Rocky \\\"Blue Onyx\\\"\"\nBROKEN\n");

        Assert.Equal("rocky", release.Id);
        Assert.Equal("9.4", release.VersionId);
        Assert.Equal(["rhel", "centos", "fedora"], release.IdLike);
        Assert.Equal("Rocky \"Blue Onyx\"", release.PrettyName);
    }

    [Theory]
    [InlineData("debian", "", GuestFamily.Debian)]
    [InlineData("ubuntu", "debian", GuestFamily.Debian)]
    [InlineData("rocky", "rhel centos fedora", GuestFamily.RedHat)]
    [InlineData("fedora", "", GuestFamily.RedHat)]
    [InlineData("opensuse-leap", "suse opensuse", GuestFamily.Suse)]
    [InlineData("alpine", "", GuestFamily.Alpine)]
    [InlineData("somethingnew", "ubuntu", GuestFamily.Debian)]
    [InlineData("gentoo", "", GuestFamily.Unknown)]
    public void Family_comes_from_id_then_id_like(string id, string idLike, GuestFamily expected) =>
        Assert.Equal(expected, GuestInspector.FamilyOf(id, idLike.Split(' ', StringSplitOptions.RemoveEmptyEntries)));

    [Theory]
    [InlineData(new byte[] { 0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0 }, "x86_64")]
    [InlineData(new byte[] { 0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0xb7, 0 }, "aarch64")]
    [InlineData(new byte[] { 0x7f, 0x45, 0x4c, 0x46, 2, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x16 }, "s390x")]
    [InlineData(new byte[] { 0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0xf3, 0 }, "riscv64")]
    [InlineData(new byte[] { 0x23, 0x21, 0x2f, 0x62 }, null)]
    public void Architecture_comes_from_the_elf_header(byte[] header, string? expected) =>
        Assert.Equal(expected, GuestInspector.ArchFromElf(header));

    [Fact]
    public void Architecture_of_this_machines_shell_matches_uname()
    {
        var header = File.ReadAllBytes("/bin/sh").AsSpan(0, 64).ToArray();
        var uname = Support.Sh.Run("uname", "-m").Trim();

        Assert.Equal(uname, GuestInspector.ArchFromElf(header));
    }

    [Fact]
    public void Fstab_parsing_skips_comments_and_unescapes_spaces()
    {
        var entries = FstabEntry.Parse("# /etc/fstab\nUUID=abc / ext4 errors=remount-ro 0 1\n\n/dev/vda1\t/boot/efi vfat umask=0077 0 1\nLABEL=data /srv/my\\040data xfs defaults 0 2\n");

        Assert.Equal(3, entries.Count);
        Assert.Equal("/srv/my data", entries[2].MountPoint);
        Assert.Equal("vfat", entries[1].FsType);
    }

    [Theory]
    [InlineData("UUID=1111-2222", 1)]
    [InlineData("UUID=\"aaaaaaaa-0000-0000-0000-000000000002\"", 2)]
    [InlineData("LABEL=rootfs", 2)]
    [InlineData("PARTUUID=bbbbbbbb-0000-0000-0000-000000000003", 3)]
    [InlineData("PARTLABEL=swap", 3)]
    [InlineData("/dev/disk/by-uuid/1111-2222", 1)]
    [InlineData("/dev/vda2", 2)]
    [InlineData("/dev/sda3", 3)]
    [InlineData("/dev/nvme0n1p1", 1)]
    [InlineData("/dev/mmcblk0p2", 2)]
    [InlineData("/dev/mapper/vg-root", null)]
    [InlineData("/dev/vda9", null)]
    [InlineData("tmpfs", null)]
    public void Fstab_specs_map_to_partitions(string spec, int? expected)
    {
        PartitionIdentity[] partitions =
        [
            new(1, "1111-2222", "EFI", "bbbbbbbb-0000-0000-0000-000000000001", "esp"),
            new(2, "aaaaaaaa-0000-0000-0000-000000000002", "rootfs", "bbbbbbbb-0000-0000-0000-000000000002", "root"),
            new(3, null, null, "BBBBBBBB-0000-0000-0000-000000000003", "swap"),
        ];

        Assert.Equal(expected, FstabResolver.Resolve(spec, partitions));
    }
}
