using System.Text.Json.Nodes;

namespace Imprint.Operator.Manifests;

/// <summary>
/// Names, namespaces and labels of the RBAC documents. <see cref="Kustomize"/> holds config/rbac's literal values;
/// the chart passes Helm placeholders that <see cref="ChartGenerator"/> turns into template expressions, so both
/// copies come from one builder and cannot disagree on rules.
/// </summary>
public sealed record RbacNaming(
    string OperatorServiceAccount,
    string AgentServiceAccount,
    string ClusterRole,
    string LeaderElectionRole,
    string OperatorNamespace,
    string AgentNamespace,
    Func<string, JsonNode> Labels,
    Func<string, JsonNode?> ServiceAccountAnnotations)
{
    public static RbacNaming Kustomize { get; } = new(
        RbacGenerator.OperatorName,
        RbacGenerator.AgentServiceAccountName,
        RbacGenerator.OperatorName,
        RbacGenerator.LeaderElectionRoleName,
        RbacGenerator.OperatorNamespace,
        RbacGenerator.OperatorNamespace,
        component => new JsonObject
        {
            ["app.kubernetes.io/component"] = component,
            ["app.kubernetes.io/managed-by"] = "kustomize",
            ["app.kubernetes.io/name"] = "imprint",
        },
        _ => null);
}
