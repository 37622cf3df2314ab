namespace Imprint.Operator.Kubernetes.Models;

/// <summary>resources of a claim: storage requests and limits as quantities.</summary>
public sealed class V1VolumeResourceRequirements
{
    public IDictionary<string, string>? Requests { get; set; }

    public IDictionary<string, string>? Limits { get; set; }
}
