using Imprint.Agent.Results;

namespace Imprint.Agent.Sealing;

/// <summary>What sealing did (or would do, in a dry run): the operations that ran and every change.</summary>
public sealed record SealResult(IReadOnlyList<string> Operations, IReadOnlyList<ChangeReport> Changes, bool DryRun);
