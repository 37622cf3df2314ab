using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>What the server knows about one served resource (group/version/plural).</summary>
internal sealed record ResourceKind(
    string Group,
    string Version,
    string Plural,
    string Kind,
    bool Namespaced,
    bool HasStatus,
    JsonObject? Schema = null,
    string DefaultPropagation = "Background",
    bool IsCustom = false)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The name a real server uses in messages, e.g. <c>jobs.batch</c>.</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public bool IsCustomResourceDefinition => Group == "apiextensions.k8s.io" && Plural == "customresourcedefinitions";

    public bool IsNamespace => Group.Length == 0 && Plural == "namespaces";
}
