namespace Imprint.Operator.Kubernetes.Models;

/// <summary>core/v1 NodeSpec: whether the node is cordoned.</summary>
public sealed class V1NodeSpec
{
    public bool? Unschedulable { get; set; }
}
