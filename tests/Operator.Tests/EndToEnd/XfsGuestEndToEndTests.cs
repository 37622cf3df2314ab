using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Tests.EndToEnd.Support;

namespace Imprint.Operator.Tests.EndToEnd;

/// <summary>
/// A GoldenImage of the matrix's Rocky-like xfs guest and a VmClone of it reach Ready with the real agent (the node
/// simulator runs <c>imprint</c>), its appliance under TCG, and both statuses name the libguestfs engine. Part of
/// <c>make test-guests</c>, which builds the guest first (tests/Agent.Tests/TestGuests) into IMPRINT_TEST_GUESTS_DIR.
/// </summary>
public sealed class XfsGuestEndToEndTests
{
    private const string Ns = "vms";

    [XfsGuestFact]
    public async Task Golden_image_of_an_xfs_guest_and_a_clone_of_it_reach_ready_and_name_the_libguestfs_engine()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        cluster.Simulator.SeedPvc(Ns, "rocky-source", XfsGuestFactAttribute.ImagePath!);
        await cluster.CreateAsync(E2eObjects.GoldenImageFromPvc(Ns, "rocky", "rocky-source"));

        // Minutes per appliance launch under TCG on a busy machine: generous deadlines, the phases are the assertion.
        var golden = await cluster.WaitForGoldenImageAsync("rocky", Ns, GoldenImagePhase.Ready, seconds: 1800);
        await cluster.CreateAsync(E2eObjects.VmClone(Ns, "rocky-01", "rocky"));
        var clone = await cluster.WaitForVmCloneAsync("rocky-01", Ns, VmClonePhase.Ready, seconds: 1800);

        Assert.Equal("libguestfs", golden.Status!.Engine);
        Assert.Equal("rocky", golden.Status.Inspection?.Distro);
        Assert.Equal("libguestfs", clone.Status!.Engine);
        E2eAssert.Condition(clone.Status.Conditions, ConditionTypes.Ready, ConditionStatus.True, "Ready", clone.Metadata.Generation);
    }
}
