namespace Imprint.Operator.Manifests;

/// <summary>Kubernetes API verbs, combinable.</summary>
[Flags]
#pragma warning disable CA1711 // "Verb" is the Kubernetes term, not a type-name suffix.
public enum RbacVerb
#pragma warning restore CA1711
{
    None = 0,
    Get = 1 << 0,
    List = 1 << 1,
    Watch = 1 << 2,
    Create = 1 << 3,
    Update = 1 << 4,
    Patch = 1 << 5,
    Delete = 1 << 6,
    DeleteCollection = 1 << 7,
}
