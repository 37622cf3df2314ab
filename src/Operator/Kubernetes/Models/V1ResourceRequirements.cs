namespace Imprint.Operator.Kubernetes.Models;

/// <summary>CPU/memory requests and limits of a container, as quantities.</summary>
public sealed class V1ResourceRequirements
{
    public IDictionary<string, string>? Requests { get; set; }

    public IDictionary<string, string>? Limits { get; set; }
}
