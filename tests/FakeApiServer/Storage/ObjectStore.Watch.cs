using System.Globalization;
using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>Commit log: the bounded watch history and the open watch subscriptions.</summary>
internal sealed partial class ObjectStore
{
    private readonly LinkedList<WatchEvent> _history = new();
    private readonly List<WatchSubscription> _watches = [];
    private long _compactedThrough;

    /// <summary>Opens a watch; null when <paramref name="resourceVersion"/> is older than the retained history.</summary>
    public WatchSubscription? Subscribe(ResourceKind kind, string? ns, LabelSelector labels, FieldSelector fields, string? resourceVersion)
    {
        lock (_gate)
        {
            var watch = new WatchSubscription(kind, ns, labels, fields);
            if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                foreach (var obj in Matching(kind, ns))
                    watch.Offer(new WatchEvent("ADDED", kind, obj, null, 0));
            }
            else
            {
                if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var since))
                    throw ApiException.BadRequest($"invalid resource version \"{resourceVersion}\"");
                if (since < _compactedThrough)
                    return null;
                foreach (var change in _history.Where(e => e.ResourceVersion > since))
                    watch.Offer(change);
            }
            _watches.Add(watch);
            return watch;
        }
    }

    public void Unsubscribe(WatchSubscription watch)
    {
        lock (_gate)
            _watches.Remove(watch);
    }

    /// <summary>A bookmark at the current resourceVersion, or null while events are still queued for this watch.</summary>
    public string? Bookmark(WatchSubscription watch)
    {
        lock (_gate)
        {
            if (!watch.IsIdle)
                return null;
            var bookmark = new JsonObject
            {
                ["kind"] = watch.Kind.Kind,
                ["apiVersion"] = watch.Kind.ApiVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = RvString(_resourceVersion) },
            };
            return WatchSubscription.Line("BOOKMARK", bookmark);
        }
    }

    public string CurrentResourceVersion
    {
        get
        {
            lock (_gate)
                return RvString(_resourceVersion);
        }
    }

    public void CompactHistory()
    {
        lock (_gate)
        {
            _history.Clear();
            _compactedThrough = _resourceVersion;
        }
    }

    public void InjectLine(string raw)
    {
        lock (_gate)
        {
            foreach (var watch in _watches)
                watch.OfferRaw(raw);
        }
    }

    public void CloseWatches(bool abort)
    {
        lock (_gate)
        {
            foreach (var watch in _watches)
                watch.Close(abort);
            _watches.Clear();
        }
    }

    private JsonObject Commit(ResourceKind kind, string type, JsonObject obj, JsonObject? old, List<ObjectChange> changes)
    {
        var version = ++_resourceVersion;
        ObjectMeta.Of(obj)["resourceVersion"] = RvString(version);
        var key = ObjectKey.Of(kind, ObjectMeta.Namespace(obj), ObjectMeta.Name(obj));
        if (type == "DELETED")
            _objects.Remove(key);
        else
            _objects[key] = obj;
        var change = new WatchEvent(type, kind, Clone(obj), old is null ? null : Clone(old), version);
        _history.AddLast(change);
        while (_history.Count > options.WatchHistoryCapacity)
        {
            _compactedThrough = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }
        foreach (var watch in _watches)
            watch.Offer(change);
        if (kind.IsCustomResourceDefinition)
        {
            if (type == "DELETED")
                registry.Unregister((string?)obj["spec"]?["group"] ?? "", (string?)obj["spec"]?["names"]?["plural"] ?? "");
            else
                registry.Register(obj);
        }
        changes.Add(new ObjectChange(type, Clone(obj)));
        return obj;
    }
}
