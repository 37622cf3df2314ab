using System.Text.Json;
using System.Text.Json.Nodes;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Client;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Tests.Integration.Support;

/// <summary>Creates objects from JSON documents (manifests, CRDs) as kubectl does, through the library's generic API.</summary>
public static class RawObjects
{
    public static ResourceType CustomResourceDefinitions { get; } = ResourceType.Of<V1CustomResourceDefinition>();

    /// <summary>Creates <paramref name="document"/> (apiVersion and kind filled in when absent) and returns what the server stored.</summary>
    public static async Task<JsonObject> CreateRawAsync(this KubernetesClient client, ResourceType resource, JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(document);
        document["apiVersion"] ??= resource.ApiVersion;
        document["kind"] ??= resource.Kind;
        var ns = (string?)document["metadata"]?["namespace"];
        try
        {
            var created = string.IsNullOrEmpty(ns)
                ? await client.Api.CustomObjects.CreateClusterCustomObjectAsync(document, resource.Group, resource.Version, resource.Plural)
                : await client.Api.CustomObjects.CreateNamespacedCustomObjectAsync(document, resource.Group, resource.Version, ns, resource.Plural);
            return JsonNode.Parse(((JsonElement)created).GetRawText())!.AsObject();
        }
        catch (Exception e) when (KubernetesErrors.Map(e, $"CREATE {resource.Plural}") is { } error)
        {
            throw error;
        }
    }
}
