using Imprint.Agent.Results;

namespace Imprint.Agent.Customization;

/// <summary>What a customization changed, the new host keys (public halves) and machine-id, and the engine that edited the guest.</summary>
public sealed record CustomizeResult(IReadOnlyList<ChangeReport> Changes, IReadOnlyList<SshHostKeyReport> HostKeys, string? MachineId, bool DryRun)
{
    /// <summary>"e2fsprogs" or "libguestfs" (<see cref="Guest.GuestEngineName"/>); set by whoever opened the guest.</summary>
    public string? Engine { get; init; }

    /// <summary>The root grown in the same appliance launch (<see cref="CustomizeOptions.GrowRootToFill"/>); null when not.</summary>
    public Guest.GuestGrowResult? Grow { get; init; }

    /// <summary>The seal run first in the same session (<see cref="CustomizeOptions.SealFirst"/>); its changes lead <see cref="Changes"/>.</summary>
    public Sealing.SealResult? Seal { get; init; }
}
