namespace Imprint.Agent.Tests.TestGuests;

/// <summary>
/// The builders make what they claim: libguestfs' own inspection finds the distro and its root, and each
/// filesystem passes its own checker — so a matrix failure is the engine's, not the fixture's.
/// </summary>
public sealed class TestGuestBuilderTests
{
    public static TheoryData<TestGuestKind> Kinds => new(Enum.GetValues<TestGuestKind>());

    [GuestMatrixTheory]
    [MemberData(nameof(Kinds))]
    public void Built_guest_is_inspected_by_libguestfs_as_its_distro_and_its_filesystems_check_clean(TestGuestKind kind)
    {
        var (guest, image) = TestGuestImages.Golden(kind);

        var readBack = GuestReadBack.Run(guest, image, ["/etc/os-release", .. guest.HostnameFiles]);

        Assert.Equal(guest.InspectionRoot, OnlyDisk(readBack.InspectedRoot));
        Assert.Equal(guest.InspectedDistro, readBack.InspectedDistro);
        Assert.All(readBack.CheckerProblems, p => Assert.Fail(p));
        Assert.Matches($"(?m)^ID=\"?{guest.OsId}\"?$", readBack.Files["/etc/os-release"]);
        Assert.All(guest.HostnameFiles, f => Assert.Equal("golden\n", readBack.Files[f]));
    }

    /// <summary>
    /// The read-back adds one drive, so every /dev/sdX it names is that disk. libguestfs maps device names back to the
    /// order drives were added, but not inside <c>btrfsvol:</c> mountables: under heavy load the appliance's own disk
    /// can probe first and the guest's subvolume root comes back as <c>btrfsvol:/dev/sdb3/root</c> (seen in a run at
    /// load 35 on 2 cores).
    /// </summary>
    private static string? OnlyDisk(string? mountable) =>
        mountable is null ? null : System.Text.RegularExpressions.Regex.Replace(mountable, "/dev/sd[a-z]+(?=[0-9])", "/dev/sda");
}
