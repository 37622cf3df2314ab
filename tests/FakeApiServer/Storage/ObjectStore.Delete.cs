using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>Deletion: finalizers, deletionTimestamp and garbage-collection propagation.</summary>
internal sealed partial class ObjectStore
{
    public JsonObject Delete(ResourceKind kind, string? ns, string name, string? propagationPolicy, string? preconditionUid, string? preconditionResourceVersion)
    {
        var changes = new List<ObjectChange>();
        JsonObject result;
        lock (_gate)
        {
            var current = Find(kind, ns, name);
            if (!string.IsNullOrEmpty(preconditionUid) && preconditionUid != ObjectMeta.Uid(current))
                throw ApiException.Conflict(kind, name);
            CheckPrecondition(kind, current, preconditionResourceVersion);
            var policy = propagationPolicy ?? kind.DefaultPropagation;
            if (policy is not ("Background" or "Foreground" or "Orphan"))
                throw ApiException.BadRequest($"propagationPolicy: Unsupported value: \"{policy}\"");
            result = Clone(DeleteLocked(kind, current, policy, changes));
        }
        Raise(changes);
        return result;
    }

    /// <summary>Removes an object at once, ignoring finalizers and dependents (test-side cleanup).</summary>
    public void DeleteDirect(ResourceKind kind, string? ns, string name)
    {
        var changes = new List<ObjectChange>();
        lock (_gate)
        {
            if (_objects.TryGetValue(ObjectKey.Of(kind, ns, name), out var current))
                Commit(kind, "DELETED", Clone(current), current, changes);
        }
        Raise(changes);
    }

    private JsonObject DeleteLocked(ResourceKind kind, JsonObject current, string policy, List<ObjectChange> changes)
    {
        if (policy == "Orphan")
            OrphanDependents(current, changes);
        else if (policy == "Foreground")
            DeleteDependents(current, "Foreground", changes);
        if (ObjectMeta.HasFinalizers(current))
        {
            if (ObjectMeta.IsDeleting(current))
                return current;
            var marked = Clone(current);
            ObjectMeta.Of(marked)["deletionTimestamp"] = ObjectMeta.Now();
            ObjectMeta.Of(marked)["deletionGracePeriodSeconds"] = 0;
            // rest.BeforeDelete: a graceful delete of an object that tracks generation bumps it.
            if (ObjectMeta.Generation(current) > 0)
                ObjectMeta.Of(marked)["generation"] = ObjectMeta.Generation(current) + 1;
            return Commit(kind, "MODIFIED", marked, current, changes);
        }
        if (kind.IsNamespace)
            DeleteNamespaceContents(ObjectMeta.Name(current), changes);
        if (kind.IsCustomResourceDefinition)
            DeleteCustomResources(current, changes);
        var deleted = Commit(kind, "DELETED", Clone(current), current, changes);
        if (policy == "Background")
            DeleteDependents(deleted, "Background", changes);
        return deleted;
    }

    private void DeleteDependents(JsonObject owner, string policy, List<ObjectChange> changes)
    {
        var ownerUid = ObjectMeta.Uid(owner);
        if (ownerUid is null)
            return;
        foreach (var key in _objects.Where(p => ObjectMeta.IsOwnedBy(p.Value, ownerUid)).Select(p => p.Key).ToList())
        {
            // Re-read: deleting an earlier dependent may already have removed or changed this one.
            if (_objects.TryGetValue(key, out var dependent) && KindOf(key) is { } kind)
                DeleteLocked(kind, dependent, policy, changes);
        }
    }

    private void OrphanDependents(JsonObject owner, List<ObjectChange> changes)
    {
        var ownerUid = ObjectMeta.Uid(owner);
        if (ownerUid is null)
            return;
        foreach (var (key, dependent) in _objects.Where(p => ObjectMeta.IsOwnedBy(p.Value, ownerUid)).ToList())
        {
            if (KindOf(key) is not { } kind)
                continue;
            var next = Clone(dependent);
            var refs = (JsonArray)ObjectMeta.Of(next)["ownerReferences"]!;
            foreach (var reference in refs.Where(r => (string?)r?["uid"] == ownerUid).ToList())
                refs.Remove(reference);
            if (refs.Count == 0)
                ObjectMeta.Of(next).Remove("ownerReferences");
            Commit(kind, "MODIFIED", next, dependent, changes);
        }
    }

    private void DeleteNamespaceContents(string ns, List<ObjectChange> changes)
    {
        foreach (var (key, obj) in _objects.Where(p => p.Key.Namespace == ns).ToList())
        {
            if (KindOf(key) is { } kind)
                Commit(kind, "DELETED", Clone(obj), obj, changes);
        }
    }

    private void DeleteCustomResources(JsonObject crd, List<ObjectChange> changes)
    {
        var group = (string?)crd["spec"]?["group"] ?? "";
        var plural = (string?)crd["spec"]?["names"]?["plural"] ?? "";
        foreach (var (key, obj) in _objects.Where(p => p.Key.Group == group && p.Key.Plural == plural).ToList())
        {
            if (KindOf(key) is { } kind)
                Commit(kind, "DELETED", Clone(obj), obj, changes);
        }
        registry.Unregister(group, plural);
    }

    private ResourceKind? KindOf(ObjectKey key) => registry.Find(key.Group, key.Version, key.Plural);
}
