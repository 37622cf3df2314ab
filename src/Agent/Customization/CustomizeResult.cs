using Imprint.Agent.Results;

namespace Imprint.Agent.Customization;

/// <summary>What a customization changed, the new host keys (public halves) and machine-id.</summary>
public sealed record CustomizeResult(IReadOnlyList<ChangeReport> Changes, IReadOnlyList<SshHostKeyReport> HostKeys, string? MachineId, bool DryRun);
