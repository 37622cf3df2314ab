using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Imprint.Operator.Kubernetes;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Tests.Runtime.Support;

/// <summary>
/// An in-memory API server behind <see cref="IKubernetesClient"/>: resourceVersions from one counter, generation bumped
/// on non-status/non-metadata changes, optimistic concurrency on PUT and on merge patches that carry a resourceVersion,
/// finalizers and deletionTimestamp, watches replayed from a resourceVersion via channels, and 410 after
/// <see cref="Compact"/>.
/// </summary>
public sealed class InMemoryKubernetesClient : IKubernetesClient
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly List<(long Rv, string Plural, string Type, JsonObject Obj)> _log = [];
    private readonly List<Subscriber> _watchers = [];
    private long _rv = 100;
    private long _compactedRv;
    private int _uid;

    /// <summary>Every GET, by "plural/ns/name".</summary>
    public List<string> Gets { get; } = [];

    public int WatchCalls { get; private set; }

    /// <summary>While true, every watch ends at once without events (a misbehaving proxy).</summary>
    public bool EmptyWatches { get; set; }

    /// <summary>While true, creates fail with 500 (a broken API server).</summary>
    public bool FailCreates { get; set; }

    public int ListCalls { get; private set; }

    public Task<T?> GetAsync<T>(string name, string? ns, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_lock)
        {
            var key = Key<T>(name, ns);
            Gets.Add(key);
            return Task.FromResult(_objects.TryGetValue(key, out var obj) ? To<T>(obj) : null);
        }
    }

    public Task<KubernetesList<T>> ListAsync<T>(string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_lock)
        {
            ListCalls++;
            var items = _objects.Values.Where(o => Matches<T>(o, ns, options?.LabelSelector)).Select(To<T>).ToList();
            return Task.FromResult(new KubernetesList<T>(items, metadata: new V1ListMeta { ResourceVersion = _rv.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        }
    }

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (FailCreates)
        {
            throw new KubernetesApiException(HttpStatusCode.InternalServerError, "InternalError", "injected failure");
        }

        lock (_lock)
        {
            var node = From(obj);
            var meta = node["metadata"]!.AsObject();
            var key = Key<T>((string)meta["name"]!, (string?)meta["namespace"]);
            if (_objects.ContainsKey(key))
            {
                throw new KubernetesApiException(HttpStatusCode.Conflict, "AlreadyExists", $"{key} already exists");
            }

            meta["uid"] = $"uid-{++_uid}";
            meta["generation"] = 1L;
            meta["creationTimestamp"] = DateTimeOffset.UtcNow.ToString("O");
            return Task.FromResult(To<T>(Store<T>(key, node, "ADDED")));
        }
    }

    public Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
        => Task.FromResult(Update<T>(obj.Metadata.Name!, obj.Metadata.NamespaceProperty, From(obj), replace: true, statusOnly: false));

    public Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
        => Task.FromResult(Update<T>(obj.Metadata.Name!, obj.Metadata.NamespaceProperty, From(obj), replace: true, statusOnly: true));

    public Task<T> PatchAsync<T>(string name, string? ns, JsonNode mergePatch, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
        => Task.FromResult(Update<T>(name, ns, mergePatch.DeepClone().AsObject(), replace: false, statusOnly: false));

    public Task<T> PatchStatusAsync<T>(string name, string? ns, JsonNode mergePatch, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
        => Task.FromResult(Update<T>(name, ns, mergePatch.DeepClone().AsObject(), replace: false, statusOnly: true));

    public Task<bool> DeleteAsync<T>(string name, string? ns, PropagationPolicy propagation = PropagationPolicy.Background, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_lock)
        {
            var key = Key<T>(name, ns);
            if (!_objects.TryGetValue(key, out var current))
            {
                return Task.FromResult(false);
            }

            var meta = current["metadata"]!.AsObject();
            if (meta["finalizers"] is JsonArray { Count: > 0 })
            {
                if (meta["deletionTimestamp"] is null)
                {
                    var updated = current.DeepClone().AsObject();
                    updated["metadata"]!["deletionTimestamp"] = DateTimeOffset.UtcNow.ToString("O");
                    Store<T>(key, updated, "MODIFIED");
                }

                return Task.FromResult(true);
            }

            Remove<T>(key, current);
            return Task.FromResult(true);
        }
    }

    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync<T>(string? ns, ListOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var channel = Channel.CreateUnbounded<(string Type, JsonObject Obj)>();
        var subscriber = new Subscriber(ResourceType.Of<T>().Plural, obj => Matches<T>(obj, ns, options.LabelSelector), channel.Writer);
        lock (_lock)
        {
            WatchCalls++;
            if (EmptyWatches)
            {
                channel.Writer.TryComplete();
            }
            var from = long.Parse(options.ResourceVersion ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            if (from < _compactedRv)
            {
                throw new KubernetesApiException(HttpStatusCode.Gone, "Expired", $"too old resource version: {from} ({_compactedRv})");
            }

            foreach (var entry in _log.Where(e => e.Rv > from && e.Plural == ResourceType.Of<T>().Plural && subscriber.Filter(e.Obj)))
            {
                channel.Writer.TryWrite((entry.Type, entry.Obj));
            }

            if (!EmptyWatches)
            {
                _watchers.Add(subscriber);
            }
        }

        try
        {
            await foreach (var (type, obj) in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return (Enum.Parse<WatchEventType>(type, ignoreCase: true), To<T>(obj));
            }
        }
        finally
        {
            lock (_lock)
            {
                _watchers.Remove(subscriber);
            }
        }
    }

    public Task<string> ReadPodLogAsync(string name, string ns, string? container = null, int? tailLines = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(string.Empty);

    /// <summary>Forgets history up to now and closes open watches: watching from an older resourceVersion gets 410.</summary>
    public void Compact()
    {
        lock (_lock)
        {
            _compactedRv = _rv;
            _log.Clear();
            CloseWatches();
        }
    }

    /// <summary>Ends every open watch stream normally (as a server-side timeout would).</summary>
    public void CloseWatches()
    {
        lock (_lock)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryComplete();
            }

            _watchers.Clear();
        }
    }

    /// <summary>Removes an object without a watch event (as if deleted while nobody was watching).</summary>
    public void RemoveSilently<T>(string name, string? ns)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_lock)
        {
            _rv++;
            _objects.Remove(Key<T>(name, ns));
        }
    }

    private T Update<T>(string name, string? ns, JsonObject input, bool replace, bool statusOnly)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_lock)
        {
            var key = Key<T>(name, ns);
            if (!_objects.TryGetValue(key, out var current))
            {
                throw new KubernetesApiException(HttpStatusCode.NotFound, "NotFound", $"{key} not found");
            }

            var currentMeta = current["metadata"]!.AsObject();
            var sentRv = (string?)input["metadata"]?["resourceVersion"];
            if (sentRv is not null && sentRv != (string?)currentMeta["resourceVersion"])
            {
                throw new KubernetesApiException(HttpStatusCode.Conflict, "Conflict", $"{key}: the object has been modified");
            }

            JsonObject updated;
            if (statusOnly)
            {
                updated = current.DeepClone().AsObject();
                var status = replace ? input["status"]?.DeepClone() : MergePatch(current["status"]?.DeepClone(), input["status"]);
                updated["status"] = status;
            }
            else
            {
                updated = replace ? input.DeepClone().AsObject() : MergePatch(current.DeepClone(), input)!.AsObject();

                // The main resource ignores status; server-owned metadata stays.
                updated["status"] = current["status"]?.DeepClone();
                var meta = updated["metadata"]!.AsObject();
                foreach (var field in new[] { "uid", "generation", "creationTimestamp", "deletionTimestamp" })
                {
                    meta[field] = currentMeta[field]?.DeepClone();
                }

                if (!JsonNode.DeepEquals(Without(current), Without(updated)))
                {
                    meta["generation"] = currentMeta["generation"]!.GetValue<long>() + 1;
                }
            }

            var updatedMeta = updated["metadata"]!.AsObject();
            if (updatedMeta["deletionTimestamp"] is not null && updatedMeta["finalizers"] is not JsonArray { Count: > 0 })
            {
                Remove<T>(key, updated);
                return To<T>(updated);
            }

            return To<T>(Store<T>(key, updated, "MODIFIED"));
        }
    }

    private JsonObject Store<T>(string key, JsonObject obj, string type)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var rv = ++_rv;
        obj["metadata"]!["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _objects[key] = obj;
        Publish(ResourceType.Of<T>().Plural, rv, type, obj);
        return obj;
    }

    private void Remove<T>(string key, JsonObject last)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var rv = ++_rv;
        var gone = last.DeepClone().AsObject();
        gone["metadata"]!["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _objects.Remove(key);
        Publish(ResourceType.Of<T>().Plural, rv, "DELETED", gone);
    }

    private void Publish(string plural, long rv, string type, JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        _log.Add((rv, plural, type, copy));
        foreach (var watcher in _watchers.Where(w => w.Plural == plural && w.Filter(copy)))
        {
            watcher.Writer.TryWrite((type, copy));
        }
    }

    private static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                var merged = MergePatch(result[name]?.DeepClone(), value);
                result[name] = merged;
            }
        }

        return result;
    }

    private static JsonObject Without(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        copy.Remove("metadata");
        copy.Remove("status");
        return copy;
    }

    private static bool Matches<T>(JsonObject obj, string? ns, string? labelSelector)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var meta = obj["metadata"]!;
        if ((string?)obj["kind"] != ResourceType.Of<T>().Kind || (!string.IsNullOrEmpty(ns) && (string?)meta["namespace"] != ns))
        {
            return false;
        }

        if (string.IsNullOrEmpty(labelSelector))
        {
            return true;
        }

        var labels = meta["labels"] as JsonObject;
        return labelSelector.Split(',').All(term =>
        {
            var parts = term.Split('=', 2);
            var value = (string?)labels?[parts[0]];
            return parts.Length == 1 ? value is not null : value == parts[1];
        });
    }

    private static string Key<T>(string name, string? ns)
        where T : class, IKubernetesObject<V1ObjectMeta> => $"{ResourceType.Of<T>().Plural}/{ns}/{name}";

    private static JsonObject From<T>(T obj)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
        node["kind"] = ResourceType.Of<T>().Kind;
        node["apiVersion"] = ResourceType.Of<T>().ApiVersion;
        return node;
    }

    private static T To<T>(JsonObject obj)
        where T : class, IKubernetesObject<V1ObjectMeta> => KubernetesJson.Deserialize<T>(obj.ToJsonString());

    private sealed record Subscriber(string Plural, Func<JsonObject, bool> Filter, ChannelWriter<(string Type, JsonObject Obj)> Writer);
}
