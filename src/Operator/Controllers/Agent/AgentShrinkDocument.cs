namespace Imprint.Operator.Controllers.Agent;

/// <summary>Part of the agent's result document (<c>shrink</c>, <c>seal --shrink</c>): sizes before and after.</summary>
public sealed record AgentShrinkDocument(long OldDiskSize, long NewDiskSize, long MinimumDiskSize, string? Filesystem);
