using Imprint.Agent.Appliance;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Appliance;

/// <summary>
/// One appliance launched on the cached Rocky xfs guest, drive read-only, root and /boot mounted read-only, shared by
/// the tests of a class: one launch for all of them.
/// </summary>
public sealed class LaunchedRockyGuest : IDisposable
{
    public LaunchedRockyGuest()
    {
        Image = ApplianceGuests.RockyXfs;
        Session = ApplianceSession.Create();
        Session.AddDrive(Image, readOnly: true);
        Session.Launch();
        Roots = Session.InspectOs();
        Session.Mount("/dev/sda2", "/", string.Empty, readOnly: true);
        Session.Mount("/dev/sda1", "/boot", string.Empty, readOnly: true);
    }

    public string Image { get; }

    public ApplianceSession Session { get; }

    /// <summary>What inspect_os answered, asked before anything was mounted (inspection mounts and unmounts itself).</summary>
    public IReadOnlyList<string> Roots { get; }

    public void Dispose() => Session.Dispose();
}
