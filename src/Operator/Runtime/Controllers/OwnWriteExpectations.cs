using System.Collections.Concurrent;

namespace Imprint.Operator.Runtime.Controllers;

/// <summary>
/// The resourceVersions of our own writes that the informer has not delivered yet (controller-runtime's expectations,
/// by version). A watch delivers one object's versions in order, so until the event carrying the version we wrote
/// arrives, the cached object is older than our write and a reconcile must not act on it: it reads from the API
/// instead. Versions are compared only for equality, never ordered (they are opaque).
/// </summary>
public sealed class OwnWriteExpectations
{
    private readonly ConcurrentDictionary<string, string> _pending = new(StringComparer.Ordinal);

    public int Count => _pending.Count;

    /// <summary>We wrote <paramref name="key"/> and the server answered with <paramref name="resourceVersion"/>.</summary>
    public void Expect(string key, string? resourceVersion)
    {
        if (!string.IsNullOrEmpty(resourceVersion))
        {
            _pending[key] = resourceVersion;
        }
    }

    /// <summary>The informer delivered this version of the object: once it is the expected one, the cache has caught up.</summary>
    public void Observed(string key, string? resourceVersion)
    {
        if (resourceVersion is not null)
        {
            _pending.TryRemove(new KeyValuePair<string, string>(key, resourceVersion));
        }
    }

    /// <summary>True when nothing is pending for the key, or the cached version is the one expected (which clears it).</summary>
    public bool IsCurrent(string key, string? cachedResourceVersion)
    {
        if (!_pending.TryGetValue(key, out var expected))
        {
            return true;
        }

        if (expected != cachedResourceVersion)
        {
            return false;
        }

        _pending.TryRemove(new KeyValuePair<string, string>(key, expected));
        return true;
    }

    public void Forget(string key) => _pending.TryRemove(key, out _);
}
