namespace Imprint.Operator.Manifests;

/// <summary>One merged RBAC rule: resources of one API group that share the same verbs (all sorted).</summary>
public sealed record RbacRule(string ApiGroup, IReadOnlyList<string> Resources, IReadOnlyList<string> Verbs);
