namespace Imprint.Testing.FakeApiServer;

/// <summary>Where an object lives: (group, version, plural, namespace, name); namespace is "" for cluster kinds.</summary>
internal readonly record struct ObjectKey(string Group, string Version, string Plural, string Namespace, string Name)
{
    public static ObjectKey Of(ResourceKind kind, string? ns, string name) =>
        new(kind.Group, kind.Version, kind.Plural, kind.Namespaced ? ns ?? "" : "", name);

    public bool IsOf(ResourceKind kind) => Group == kind.Group && Version == kind.Version && Plural == kind.Plural;
}
