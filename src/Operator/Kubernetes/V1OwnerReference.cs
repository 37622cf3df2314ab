namespace Imprint.Operator.Kubernetes;

/// <summary>An ownerReference: lets garbage collection delete dependents and lets controllers map events to owners.</summary>
public sealed class V1OwnerReference
{
    public required string ApiVersion { get; set; }

    public required string Kind { get; set; }

    public required string Name { get; set; }

    public required string Uid { get; set; }

    public bool? Controller { get; set; }

    public bool? BlockOwnerDeletion { get; set; }
}
