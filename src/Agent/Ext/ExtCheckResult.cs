namespace Imprint.Agent.Ext;

/// <summary>Outcome of a read-only <c>e2fsck -fn</c>: clean means exit status 0.</summary>
public sealed record ExtCheckResult(bool IsClean, int ExitStatus, string Output);
