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

        Assert.Equal(guest.InspectionRoot, readBack.InspectedRoot);
        Assert.Equal(guest.InspectedDistro, readBack.InspectedDistro);
        Assert.All(readBack.CheckerProblems, p => Assert.Fail(p));
        Assert.Matches($"(?m)^ID=\"?{guest.OsId}\"?$", readBack.Files["/etc/os-release"]);
        Assert.All(guest.HostnameFiles, f => Assert.Equal("golden\n", readBack.Files[f]));
    }
}
