using Imprint.Agent.Guest;

namespace Imprint.Agent.Tests.Guest;

/// <summary>
/// An appliance engine for selection tests: records what it is asked to open or grow and answers with what the test
/// hands it (a real ext guest standing in for what an appliance would mount), or refuses as unavailable.
/// </summary>
public sealed class RecordingApplianceFactory(Func<GuestRootLocation, IGuestFileSystem>? open = null, string? unavailableReason = null)
    : IApplianceEngineFactory, IGuestFileSystemGrower
{
    public List<(GuestRootLocation Root, GuestAccess Access)> Opened { get; } = [];

    public List<GuestRootLocation> Grown { get; } = [];

    public string EngineName => GuestEngineName.Libguestfs;

    public IGuestFileSystemGrower Grower => this;

    public string? UnavailableReason() => unavailableReason;

    public Task<IGuestFileSystem> OpenAsync(GuestRootLocation root, GuestAccess access, CancellationToken cancellationToken)
    {
        Opened.Add((root, access));
        return Task.FromResult(open?.Invoke(root) ?? throw new InvalidOperationException("this test opens nothing through the appliance"));
    }

    public Task<GuestGrowResult> GrowToFillAsync(GuestRootLocation root, CancellationToken cancellationToken)
    {
        Grown.Add(root);
        return Task.FromResult(new GuestGrowResult(EngineName, 1, 2));
    }
}
