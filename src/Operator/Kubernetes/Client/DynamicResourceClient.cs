using System.Net;
using System.Text.Json.Nodes;

namespace Imprint.Operator.Kubernetes.Client;

/// <summary>
/// Get/List/Create/Patch/Delete of any kind as <see cref="JsonObject"/>s, for custom resources before their typed
/// models exist. Same transport, retries, errors and telemetry as <see cref="KubernetesClient"/>.
/// </summary>
public sealed class DynamicResourceClient(KubernetesClient client, ResourceType resource)
{
    public ResourceType Resource { get; } = resource;

    /// <summary>The object, or null when it does not exist (404).</summary>
    public async Task<JsonObject?> GetAsync(string name, string? ns, CancellationToken cancellationToken = default)
    {
        var path = Resource.ItemPath(name, client.ItemNamespace(Resource, ns));
        using var response = await client.Transport.SendAsync(
            new ApiRequest(HttpMethod.Get, path, "GET", Resource.Plural) { AllowNotFound = true }, cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One page of the list (the whole List object: <c>items</c> and <c>metadata.continue</c>).</summary>
    public async Task<JsonObject> ListAsync(string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var path = Resource.CollectionPath(ns) + KubernetesQuery.ForList(options);
        using var response = await client.Transport.SendAsync(new ApiRequest(HttpMethod.Get, path, "LIST", Resource.Plural), cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the object in metadata.namespace (or the configured default); apiVersion and kind are filled in when absent.</summary>
    public async Task<JsonObject> CreateAsync(JsonObject obj, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        obj["apiVersion"] ??= Resource.ApiVersion;
        obj["kind"] ??= Resource.Kind;
        var ns = (string?)obj["metadata"]?["namespace"];
        var path = Resource.CollectionPath(client.ItemNamespace(Resource, ns));
        using var response = await client.Transport.SendAsync(
            new ApiRequest(HttpMethod.Post, path, "CREATE", Resource.Plural) { Body = obj.ToJsonString() }, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>PUT of the whole object (metadata.resourceVersion guards it: 409 when stale), or of its status subresource.</summary>
    public async Task<JsonObject> ReplaceAsync(JsonObject obj, bool status = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var name = (string?)obj["metadata"]?["name"];
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"A {Resource.Kind} needs metadata.name to be replaced.", nameof(obj));
        }

        obj["apiVersion"] ??= Resource.ApiVersion;
        obj["kind"] ??= Resource.Kind;
        var path = Resource.ItemPath(name, client.ItemNamespace(Resource, (string?)obj["metadata"]?["namespace"])) + (status ? "/status" : string.Empty);
        using var response = await client.Transport.SendAsync(
            new ApiRequest(HttpMethod.Put, path, "UPDATE", Resource.Plural + (status ? "/status" : string.Empty)) { Body = obj.ToJsonString() }, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One watch connection, events carrying the objects as JSON; same semantics as <see cref="KubernetesClient.WatchAsync{T}"/>.</summary>
    public IAsyncEnumerable<WatchEvent<JsonObject>> WatchAsync(string? ns, ListOptions options, CancellationToken cancellationToken = default) =>
        client.WatchCoreAsync(Resource, ns, options, Models.KubernetesJsonContext.Default.WatchEventJsonObject, cancellationToken);

    /// <summary>RFC 7386 merge patch of the object, or of its status subresource.</summary>
    public async Task<JsonObject> PatchAsync(string name, string? ns, JsonNode mergePatch, bool status = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mergePatch);
        var path = Resource.ItemPath(name, client.ItemNamespace(Resource, ns)) + (status ? "/status" : string.Empty);
        using var response = await client.Transport.SendAsync(
            new ApiRequest(HttpMethod.Patch, path, "PATCH", Resource.Plural) { Body = mergePatch.ToJsonString(), ContentType = "application/merge-patch+json" },
            cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes; false when it was already gone (404).</summary>
    public Task<bool> DeleteAsync(string name, string? ns, PropagationPolicy propagation = PropagationPolicy.Background, CancellationToken cancellationToken = default) =>
        client.DeleteAsync(Resource, name, ns, propagation, cancellationToken);

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return JsonNode.Parse(body) as JsonObject
            ?? throw new KubernetesApiException(response.StatusCode, "InvalidResponse", $"{response.RequestMessage?.RequestUri}: the server did not answer with a JSON object.");
    }
}
