namespace Imprint.Agent.Appliance;

/// <summary>Where resolving a guest path ended: the canonical path reached, its node (null: nothing there) and why it stopped early.</summary>
internal sealed record ApplianceResolution(string Path, ApplianceNode? Node, ApplianceResolveFailure Failure);
