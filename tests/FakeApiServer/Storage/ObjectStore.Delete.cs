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

    /// <summary>
    /// Background: the object goes now (or once its finalizers are gone) and the garbage collector deletes dependents
    /// afterwards. Foreground: the object stays, marked with the foregroundDeletion finalizer, until the collector has
    /// deleted the dependents that block it. Orphan: dependents lose their owner reference first. A namespace turns
    /// Terminating and the namespace controller empties it.
    /// </summary>
    private JsonObject DeleteLocked(ResourceKind kind, JsonObject current, string policy, List<ObjectChange> changes)
    {
        if (policy == "Orphan")
            OrphanDependents(current, changes);
        if (kind.IsCustomResourceDefinition && !ObjectMeta.HasFinalizers(current))
            DeleteCustomResources(current, changes);
        var foreground = policy == "Foreground" && !kind.IsNamespace;
        if (ObjectMeta.HasFinalizers(current) || foreground || kind.IsNamespace)
        {
            var marked = Clone(current);
            var meta = ObjectMeta.Of(marked);
            if (foreground && !ObjectMeta.Finalizers(current).Contains(ForegroundDeletion))
                meta["finalizers"] = new JsonArray([.. ObjectMeta.Finalizers(current).Append(ForegroundDeletion).Select(f => (JsonNode?)JsonValue.Create(f))]);
            if (ObjectMeta.IsDeleting(current))
                return JsonNode.DeepEquals(marked, current) ? current : Commit(kind, "MODIFIED", marked, current, changes);
            meta["deletionTimestamp"] = ObjectMeta.Now();
            meta["deletionGracePeriodSeconds"] = 0;
            // rest.BeforeDelete: a graceful delete of an object that tracks generation bumps it.
            if (ObjectMeta.Generation(current) > 0)
                meta["generation"] = ObjectMeta.Generation(current) + 1;
            if (kind.IsNamespace)
                (marked["status"] as JsonObject ?? (JsonObject)(marked["status"] = new JsonObject()))["phase"] = "Terminating";
            return Commit(kind, "MODIFIED", marked, current, changes);
        }
        return Commit(kind, "DELETED", Clone(current), current, changes);
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
