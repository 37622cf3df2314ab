namespace Imprint.Operator.Manifests;

/// <summary>Where a permission is granted: cluster-wide (ClusterRole) or only in the operator's own namespace (Role).</summary>
public enum RbacScope
{
    Cluster,
    OperatorNamespace,
}
