using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Watching;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Runtime.Informers;

/// <summary>
/// The thread-safe object store behind an informer, keyed <c>namespace/name</c>, with two indexes kept in step with
/// every write: by namespace, and by the uid of the controlling ownerReference (how a controller finds the Jobs, Pods and
/// PVCs it created without a list call).
/// </summary>
public sealed class InformerStore<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _byNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _byOwner = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>The uid of the ownerReference with <c>controller: true</c>, if any.</summary>
    public static string? ControllerUid(IKubernetesObject<V1ObjectMeta> obj) =>
        obj.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true)?.Uid;

    public T? Get(string key)
    {
        lock (_lock)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    public IReadOnlyList<string> Keys()
    {
        lock (_lock)
        {
            return [.. _items.Keys];
        }
    }

    public IReadOnlyList<T> List(string? ns = null)
    {
        lock (_lock)
        {
            if (ns is null)
            {
                return [.. _items.Values];
            }

            return _byNamespace.TryGetValue(ns, out var keys) ? [.. keys.Select(k => _items[k])] : [];
        }
    }

    public IReadOnlyList<T> ListByOwner(string ownerUid)
    {
        lock (_lock)
        {
            return _byOwner.TryGetValue(ownerUid, out var keys) ? [.. keys.Select(k => _items[k])] : [];
        }
    }

    /// <summary>Adds or replaces the object; returns what was stored under its key before.</summary>
    public T? Upsert(T obj)
    {
        var key = EntityKey.Of(obj).ToString();
        lock (_lock)
        {
            return UpsertLocked(key, obj);
        }
    }

    /// <summary>Removes the object under <paramref name="key"/>; returns it, or null when it was not stored.</summary>
    public T? Remove(string key)
    {
        lock (_lock)
        {
            if (!_items.Remove(key, out var old))
            {
                return null;
            }

            Unindex(key, old);
            return old;
        }
    }

    /// <summary>
    /// Replaces the whole content with a fresh list and returns the difference as events: Deleted for keys no longer
    /// listed (with their last stored state), Added for new keys, Modified for keys whose resourceVersion changed.
    /// </summary>
    public IReadOnlyList<InformerEvent<T>> Replace(IEnumerable<T> listed)
    {
        var fresh = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in listed)
        {
            fresh[EntityKey.Of(item).ToString()] = item;
        }

        var changes = new List<InformerEvent<T>>();
        lock (_lock)
        {
            foreach (var (key, old) in _items.Where(kv => !fresh.ContainsKey(kv.Key)).ToList())
            {
                _items.Remove(key);
                Unindex(key, old);
                changes.Add(new InformerEvent<T>(EntityEventType.Deleted, old, old));
            }

            foreach (var (key, item) in fresh)
            {
                var old = UpsertLocked(key, item);
                if (old is null)
                {
                    changes.Add(new InformerEvent<T>(EntityEventType.Added, item, null));
                }
                else if (old.Metadata.ResourceVersion != item.Metadata.ResourceVersion)
                {
                    changes.Add(new InformerEvent<T>(EntityEventType.Modified, item, old));
                }
            }
        }

        return changes;
    }

    private T? UpsertLocked(string key, T obj)
    {
        if (_items.Remove(key, out var old))
        {
            Unindex(key, old);
        }

        _items[key] = obj;
        Add(_byNamespace, obj.Metadata.NamespaceProperty ?? string.Empty, key);
        if (ControllerUid(obj) is { } owner)
        {
            Add(_byOwner, owner, key);
        }

        return old;
    }

    private void Unindex(string key, T obj)
    {
        Drop(_byNamespace, obj.Metadata.NamespaceProperty ?? string.Empty, key);
        if (ControllerUid(obj) is { } owner)
        {
            Drop(_byOwner, owner, key);
        }
    }

    private static void Add(Dictionary<string, HashSet<string>> index, string value, string key)
    {
        if (!index.TryGetValue(value, out var keys))
        {
            index[value] = keys = new HashSet<string>(StringComparer.Ordinal);
        }

        keys.Add(key);
    }

    private static void Drop(Dictionary<string, HashSet<string>> index, string value, string key)
    {
        if (index.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
        {
            index.Remove(value);
        }
    }
}
