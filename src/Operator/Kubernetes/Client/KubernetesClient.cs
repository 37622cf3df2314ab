using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Imprint.Operator.Kubernetes.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Imprint.Operator.Kubernetes.Client;

/// <summary>
/// The typed Kubernetes client: JSON through each kind's source-generated contract (no reflection), errors as
/// <see cref="KubernetesApiException"/>, retries and telemetry in <see cref="KubernetesTransport"/>.
/// </summary>
public sealed partial class KubernetesClient : IKubernetesClient, IDisposable
{
    private const string MergePatch = "application/merge-patch+json";

    private readonly ILogger _logger;
    private long _malformedWatchLines;

    public KubernetesClient(KubernetesClientConfiguration configuration, ILogger<KubernetesClient>? logger = null)
    {
        Configuration = configuration;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        Transport = new KubernetesTransport(configuration);
    }

    public KubernetesClientConfiguration Configuration { get; }

    /// <summary>Watch lines that were not valid watch events and were skipped.</summary>
    public long MalformedWatchLines => Interlocked.Read(ref _malformedWatchLines);

    internal KubernetesTransport Transport { get; }

    /// <summary>Raised with the raw text of every watch line that was skipped because it was not a watch event.</summary>
    public event EventHandler<string>? MalformedWatchLine;

    /// <summary>A JSON-object client for a kind without a typed model (custom resources).</summary>
    public DynamicResourceClient Dynamic(ResourceType resource) => new(this, resource);

    public void Dispose() => Transport.Dispose();

    public async Task<T?> GetAsync<T>(string name, string? ns, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>
    {
        var path = T.Resource.ItemPath(name, ItemNamespace(T.Resource, ns));
        using var response = await Transport.SendAsync(
            new ApiRequest(HttpMethod.Get, path, "GET", T.Resource.Plural) { AllowNotFound = true }, cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound
            ? null
            : await ReadAsync(response, T.JsonTypeInfo, cancellationToken).ConfigureAwait(false);
    }

    public async Task<KubernetesList<T>> ListAsync<T>(string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>
    {
        var path = T.Resource.CollectionPath(ns) + KubernetesQuery.ForList(options);
        using var response = await Transport.SendAsync(new ApiRequest(HttpMethod.Get, path, "LIST", T.Resource.Plural), cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, T.ListJsonTypeInfo, cancellationToken).ConfigureAwait(false);
    }

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var path = T.Resource.CollectionPath(ItemNamespace(T.Resource, obj.Metadata.Namespace));
        return SendObjectAsync<T>(new ApiRequest(HttpMethod.Post, path, "CREATE", T.Resource.Plural) { Body = JsonSerializer.Serialize(obj, T.JsonTypeInfo) }, cancellationToken);
    }

    public Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var path = ObjectPath(obj);
        return SendObjectAsync<T>(new ApiRequest(HttpMethod.Put, path, "UPDATE", T.Resource.Plural) { Body = JsonSerializer.Serialize(obj, T.JsonTypeInfo) }, cancellationToken);
    }

    public Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var path = ObjectPath(obj) + "/status";
        return SendObjectAsync<T>(new ApiRequest(HttpMethod.Put, path, "UPDATE", T.Resource.Plural + "/status") { Body = JsonSerializer.Serialize(obj, T.JsonTypeInfo) }, cancellationToken);
    }

    public Task<T> PatchAsync<T>(string name, string? ns, JsonNode mergePatch, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>
    {
        ArgumentNullException.ThrowIfNull(mergePatch);
        var path = T.Resource.ItemPath(name, ItemNamespace(T.Resource, ns));
        return SendObjectAsync<T>(
            new ApiRequest(HttpMethod.Patch, path, "PATCH", T.Resource.Plural) { Body = mergePatch.ToJsonString(), ContentType = MergePatch }, cancellationToken);
    }

    public Task<T> PatchStatusAsync<T>(string name, string? ns, JsonNode mergePatch, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T>
    {
        ArgumentNullException.ThrowIfNull(mergePatch);
        var path = T.Resource.ItemPath(name, ItemNamespace(T.Resource, ns)) + "/status";
        return SendObjectAsync<T>(
            new ApiRequest(HttpMethod.Patch, path, "PATCH", T.Resource.Plural + "/status") { Body = mergePatch.ToJsonString(), ContentType = MergePatch }, cancellationToken);
    }

    public Task<bool> DeleteAsync<T>(string name, string? ns, PropagationPolicy propagation = PropagationPolicy.Background, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T> =>
        DeleteAsync(T.Resource, name, ns, propagation, cancellationToken);

    public IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? ns, ListOptions options, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<T> =>
        WatchCoreAsync(T.Resource, ns, options, T.WatchEventJsonTypeInfo, cancellationToken);

    public async Task<string> ReadPodLogAsync(string name, string ns, string? container = null, int? tailLines = null, CancellationToken cancellationToken = default)
    {
        var path = new StringBuilder($"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods/{Uri.EscapeDataString(name)}/log");
        var separator = '?';
        if (tailLines is { } tail)
        {
            path.Append(separator).Append("tailLines=").Append(tail.ToString(CultureInfo.InvariantCulture));
            separator = '&';
        }

        if (!string.IsNullOrEmpty(container))
        {
            path.Append(separator).Append("container=").Append(Uri.EscapeDataString(container));
        }

        using var response = await Transport.SendAsync(new ApiRequest(HttpMethod.Get, path.ToString(), "GET", "pods/log"), cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Streams one watch connection line by line (the body is never buffered whole). ERROR events become
    /// <see cref="KubernetesApiException"/> (410 Gone included); lines that are not watch events are logged, counted and skipped.
    /// </summary>
    internal async IAsyncEnumerable<WatchEvent<TObject>> WatchCoreAsync<TObject>(
        ResourceType resource, string? ns, ListOptions options, JsonTypeInfo<WatchEvent<TObject>> typeInfo, [EnumeratorCancellation] CancellationToken cancellationToken)
        where TObject : class
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = resource.CollectionPath(ns) + KubernetesQuery.ForWatch(options);
        using var response = await Transport.SendAsync(new ApiRequest(HttpMethod.Get, path, "WATCH", resource.Plural) { Stream = true }, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                if (ParseWatchLine(line, typeInfo, path) is { } watchEvent)
                {
                    yield return watchEvent;
                }
            }
        }
    }

    internal async Task<bool> DeleteAsync(ResourceType resource, string name, string? ns, PropagationPolicy propagation, CancellationToken cancellationToken)
    {
        var path = resource.ItemPath(name, ItemNamespace(resource, ns));
        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "DeleteOptions",
            ["propagationPolicy"] = propagation.ToString(),
        }.ToJsonString();
        using var response = await Transport.SendAsync(
            new ApiRequest(HttpMethod.Delete, path, "DELETE", resource.Plural) { Body = body, AllowNotFound = true }, cancellationToken).ConfigureAwait(false);
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    /// <summary>Item calls on a namespaced kind without a namespace go to the configured default namespace.</summary>
    internal string? ItemNamespace(ResourceType resource, string? ns) =>
        !resource.Namespaced ? null : string.IsNullOrEmpty(ns) ? Configuration.Namespace : ns;

    private static async Task<TValue> ReadAsync<TValue>(HttpResponseMessage response, JsonTypeInfo<TValue> typeInfo, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false)
                ?? throw new KubernetesApiException(response.StatusCode, "InvalidResponse", $"{response.RequestMessage?.RequestUri}: the server answered with an empty body.");
        }
    }

    private string ObjectPath<T>(T obj)
        where T : class, IKubernetesObject<T>
    {
        var name = obj.Metadata.Name;
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"A {T.Resource.Kind} needs metadata.name to be replaced.", nameof(obj));
        }

        return T.Resource.ItemPath(name, ItemNamespace(T.Resource, obj.Metadata.Namespace));
    }

    private async Task<T> SendObjectAsync<T>(ApiRequest request, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<T>
    {
        using var response = await Transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, T.JsonTypeInfo, cancellationToken).ConfigureAwait(false);
    }

    private WatchEvent<T>? ParseWatchLine<T>(string line, JsonTypeInfo<WatchEvent<T>> typeInfo, string path)
        where T : class
    {
        try
        {
            // ERROR events carry a Status, not a T: look at them as plain JSON before binding to the typed contract.
            if (line.Contains("\"ERROR\"", StringComparison.Ordinal) && JsonNode.Parse(line) is JsonObject node
                && (string?)node["type"] == "ERROR")
            {
                throw node["object"] is JsonObject status
                    ? ApiStatusParser.FromStatus(status, null, $"WATCH {path}")
                    : new KubernetesApiException(HttpStatusCode.InternalServerError, null, $"WATCH {path}: ERROR event without a Status.");
            }

            var watchEvent = JsonSerializer.Deserialize(line, typeInfo);
            if (watchEvent is not null && watchEvent.Type.Length > 0 && watchEvent.Object is not null)
            {
                return watchEvent;
            }
        }
        catch (JsonException e)
        {
            ReportMalformedLine(path, line, e.Message);
            return null;
        }

        ReportMalformedLine(path, line, "no type or object");
        return null;
    }

    private void ReportMalformedLine(string path, string line, string problem)
    {
        LogMalformedLine(_logger, path, problem);
        Interlocked.Increment(ref _malformedWatchLines);
        KubernetesInstrumentation.CountMalformedWatchLine(path);
        MalformedWatchLine?.Invoke(this, line);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped a malformed watch line from {Path}: {Problem}")]
    private static partial void LogMalformedLine(ILogger logger, string path, string problem);
}
