using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>
/// What kube-controller-manager does to stored objects, one pass at a time: the garbage collector (dangling owners,
/// foreground deletion), the namespace controller (Terminating until empty) and the PVC protection controller.
/// </summary>
internal sealed partial class ObjectStore
{
    public const string ForegroundDeletion = "foregroundDeletion";
    public const string PvcProtection = "kubernetes.io/pvc-protection";

    /// <summary>Binds a pod to a node as <c>POST pods/{name}/binding</c> does (the only way spec.nodeName changes).</summary>
    public JsonObject BindPod(ResourceKind kind, string? ns, string name, string node)
    {
        var changes = new List<ObjectChange>();
        JsonObject result;
        lock (_gate)
        {
            var current = Find(kind, ns, name);
            if ((string?)current["spec"]?["nodeName"] is { Length: > 0 } assigned)
                throw new ApiException(409, "Conflict", $"Operation cannot be fulfilled on pods/binding \"{name}\": pod {name} is already assigned to node \"{assigned}\"");
            var next = Clone(current);
            (next["spec"] as JsonObject ?? (JsonObject)(next["spec"] = new JsonObject()))["nodeName"] = node;
            result = UpdateLocked(kind, current, next, changes, admit: false);
        }
        Raise(changes);
        return result;
    }

    /// <summary>Runs every simulated controller once; true when something was written (another pass may find more).</summary>
    public bool RunControllersOnce()
    {
        var changes = new List<ObjectChange>();
        lock (_gate)
        {
            CollectGarbage(changes);
            FinishForegroundDeletions(changes);
            FinalizeNamespaces(changes);
            ReleaseUnusedClaims(changes);
        }
        Raise(changes);
        return changes.Count > 0;
    }

    private enum OwnerState
    {
        Solid,
        Dangling,
        WaitingForDependents,
    }

    private void CollectGarbage(List<ObjectChange> changes)
    {
        foreach (var (key, dependent) in _objects.Where(p => p.Value["metadata"]?["ownerReferences"] is JsonArray { Count: > 0 }).ToList())
        {
            if (!_objects.TryGetValue(key, out var current) || !ReferenceEquals(current, dependent) || KindOf(key) is not { } kind)
                continue;
            var references = ((JsonArray)dependent["metadata"]!["ownerReferences"]!).OfType<JsonObject>().ToList();
            var states = references.Select(r => (Reference: r, State: OwnerStateOf(r, kind, key.Namespace))).ToList();
            if (states.Any(s => s.State is null))
                continue; // An owner kind the server does not serve: unresolvable, never collected (as the real GC).
            if (states.Exists(s => s.State == OwnerState.Solid))
            {
                if (states.TrueForAll(s => s.State == OwnerState.Solid))
                    continue;
                // Some owners are gone: the collector drops those references and keeps the object.
                var next = Clone(dependent);
                var kept = new JsonArray([.. states.Where(s => s.State == OwnerState.Solid).Select(s => (JsonNode?)s.Reference.DeepClone())]);
                ObjectMeta.Of(next)["ownerReferences"] = kept;
                Commit(kind, "MODIFIED", next, dependent, changes);
                continue;
            }
            if (ObjectMeta.IsDeleting(dependent))
                continue;
            var policy = states.Exists(s => s.State == OwnerState.WaitingForDependents) ? "Foreground" : "Background";
            DeleteLocked(kind, dependent, policy, changes);
        }
    }

    private OwnerState? OwnerStateOf(JsonObject reference, ResourceKind dependentKind, string dependentNamespace)
    {
        var ownerKind = registry.FindByKind((string?)reference["apiVersion"] ?? "", (string?)reference["kind"] ?? "");
        if (ownerKind is null || (ownerKind.Namespaced && !dependentKind.Namespaced))
            return null;
        // The owner is looked up in the dependent's namespace: a reference across namespaces finds nothing, so the
        // real collector deletes the dependent (and reports OwnerRefInvalidNamespace).
        var ownerKey = ObjectKey.Of(ownerKind, dependentNamespace, (string?)reference["name"] ?? "");
        if (!_objects.TryGetValue(ownerKey, out var owner) || ObjectMeta.Uid(owner) != (string?)reference["uid"])
            return OwnerState.Dangling;
        return ObjectMeta.IsDeleting(owner) && ObjectMeta.Finalizers(owner).Contains(ForegroundDeletion)
            ? OwnerState.WaitingForDependents
            : OwnerState.Solid;
    }

    private void FinishForegroundDeletions(List<ObjectChange> changes)
    {
        foreach (var (key, owner) in _objects.Where(p => ObjectMeta.IsDeleting(p.Value) && ObjectMeta.Finalizers(p.Value).Contains(ForegroundDeletion)).ToList())
        {
            var uid = ObjectMeta.Uid(owner) ?? "";
            // Only dependents that block owner deletion hold the owner back.
            var blocked = _objects.Values.Any(o => o["metadata"]?["ownerReferences"] is JsonArray refs
                && refs.Any(r => (string?)r?["uid"] == uid && r?["blockOwnerDeletion"] is JsonValue b && b.TryGetValue<bool>(out var block) && block));
            if (!blocked && KindOf(key) is { } kind)
                RemoveFinalizer(kind, owner, ForegroundDeletion, changes);
        }
    }

    private void FinalizeNamespaces(List<ObjectChange> changes)
    {
        var namespaces = registry.Find("", "v1", "namespaces")!;
        foreach (var ns in _objects.Where(p => p.Key.IsOf(namespaces) && ObjectMeta.IsDeleting(p.Value)).Select(p => p.Value).ToList())
        {
            var name = ObjectMeta.Name(ns);
            var contents = _objects.Where(p => p.Key.Namespace == name && KindOf(p.Key) is { Namespaced: true }).ToList();
            foreach (var (key, obj) in contents)
            {
                if (!ObjectMeta.IsDeleting(obj) && KindOf(key) is { } kind)
                    DeleteLocked(kind, obj, "Background", changes);
            }
            if (_objects.Keys.Any(k => k.Namespace == name && KindOf(k) is { Namespaced: true }))
                continue; // Objects with finalizers keep the namespace Terminating.
            var next = Clone(ns);
            if (next["spec"] is JsonObject spec)
                spec.Remove("finalizers");
            if (ObjectMeta.HasFinalizers(next))
            {
                if (!JsonNode.DeepEquals(next, ns))
                    Commit(namespaces, "MODIFIED", next, ns, changes);
            }
            else
            {
                Commit(namespaces, "DELETED", next, ns, changes);
            }
        }
    }

    private void ReleaseUnusedClaims(List<ObjectChange> changes)
    {
        var claims = registry.Find("", "v1", "persistentvolumeclaims")!;
        var pods = registry.Find("", "v1", "pods")!;
        foreach (var claim in _objects.Where(p => p.Key.IsOf(claims) && ObjectMeta.IsDeleting(p.Value) && ObjectMeta.Finalizers(p.Value).Contains(PvcProtection)).Select(p => p.Value).ToList())
        {
            var ns = ObjectMeta.Namespace(claim) ?? "";
            var name = ObjectMeta.Name(claim);
            var inUse = _objects.Where(p => p.Key.IsOf(pods) && p.Key.Namespace == ns).Any(p => UsesClaim(p.Value, name));
            if (!inUse)
                RemoveFinalizer(claims, claim, PvcProtection, changes);
        }
    }

    // As the PVC protection controller: a pod that has not finished uses the claims its volumes name.
    private static bool UsesClaim(JsonObject pod, string claim) =>
        (string?)pod["status"]?["phase"] is not ("Succeeded" or "Failed")
        && (pod["spec"]?["volumes"] as JsonArray ?? []).Any(v => (string?)v?["persistentVolumeClaim"]?["claimName"] == claim);

    private void RemoveFinalizer(ResourceKind kind, JsonObject current, string finalizer, List<ObjectChange> changes)
    {
        var next = Clone(current);
        var list = (JsonArray)ObjectMeta.Of(next)["finalizers"]!;
        foreach (var item in list.Where(f => (string?)f == finalizer).ToList())
            list.Remove(item);
        if (list.Count == 0)
            ObjectMeta.Of(next).Remove("finalizers");
        UpdateLocked(kind, current, next, changes, admit: false);
    }
}
