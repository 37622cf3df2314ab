using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>
/// All objects plus the one resourceVersion counter. Every operation runs under one lock so writes, history and
/// watch queues stay in commit order; <see cref="Committed"/> is raised after the lock is released.
/// </summary>
internal sealed partial class ObjectStore(ResourceRegistry registry, CustomResourceValidator validator, FakeApiServerOptions options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ObjectKey, JsonObject> _objects = [];
    private long _resourceVersion;

    public event Action<ObjectChange>? Committed;

    public JsonObject Get(ResourceKind kind, string? ns, string name)
    {
        lock (_gate)
            return (JsonObject)Find(kind, ns, name).DeepClone();
    }

    public IReadOnlyList<JsonObject> Snapshot(ResourceKind kind, string? ns)
    {
        lock (_gate)
            return Matching(kind, ns).Select(o => (JsonObject)o.DeepClone()).ToList();
    }

    public JsonObject Create(ResourceKind kind, string? ns, JsonObject body)
    {
        var changes = new List<ObjectChange>();
        JsonObject result;
        lock (_gate)
            result = CreateLocked(kind, ns, body, changes, direct: false);
        Raise(changes);
        return result;
    }

    public JsonObject Update(ResourceKind kind, string? ns, string name, JsonObject body, string? subresource)
    {
        var changes = new List<ObjectChange>();
        JsonObject result;
        lock (_gate)
        {
            var current = Find(kind, ns, name);
            if (ObjectMeta.Name(body) is { Length: > 0 } bodyName && bodyName != name)
                throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
            // Custom resources (unlike most built-in kinds) do not allow unconditional updates.
            if (kind.IsCustom && string.IsNullOrEmpty(ObjectMeta.ResourceVersion(body)))
                throw ApiException.Invalid(kind, name, [new FieldCause("FieldValueInvalid", "Invalid value: 0x0: must be specified for an update", "metadata.resourceVersion")]);
            CheckPrecondition(kind, current, ObjectMeta.ResourceVersion(body));
            result = UpdateLocked(kind, current, Compose(kind, current, body, subresource), changes);
        }
        Raise(changes);
        return result;
    }

    /// <summary>Applies <paramref name="apply"/> to a copy of the stored object; a resourceVersion it leaves that differs is a conflict.</summary>
    public JsonObject Patch(ResourceKind kind, string? ns, string name, Func<JsonObject, JsonObject> apply, string? subresource)
    {
        var changes = new List<ObjectChange>();
        JsonObject result;
        lock (_gate)
        {
            var current = Find(kind, ns, name);
            var patched = apply(Clone(current));
            CheckPrecondition(kind, current, ObjectMeta.ResourceVersion(patched));
            result = UpdateLocked(kind, current, Compose(kind, current, patched, subresource), changes);
        }
        Raise(changes);
        return result;
    }

    /// <summary>Create or replace without admission rules (tests simulating controllers and kubelets).</summary>
    public JsonObject PutDirect(ResourceKind kind, JsonObject obj)
    {
        var changes = new List<ObjectChange>();
        JsonObject result;
        lock (_gate)
        {
            var ns = ObjectMeta.Namespace(obj);
            result = _objects.TryGetValue(ObjectKey.Of(kind, ns, ObjectMeta.Name(obj)), out var current)
                ? UpdateLocked(kind, current, Preserve(kind, current, (JsonObject)obj.DeepClone()), changes, admit: false)
                : CreateLocked(kind, ns, obj, changes, direct: true);
        }
        Raise(changes);
        return result;
    }

    private JsonObject CreateLocked(ResourceKind kind, string? ns, JsonObject body, List<ObjectChange> changes, bool direct)
    {
        var obj = (JsonObject)body.DeepClone();
        var meta = ObjectMeta.Of(obj);
        var bodyNs = ObjectMeta.Namespace(obj);
        if (kind.Namespaced)
        {
            if (ns is not null && bodyNs is { Length: > 0 } && bodyNs != ns)
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            ns ??= bodyNs;
            if (string.IsNullOrEmpty(ns))
                throw ApiException.BadRequest("the namespace of the object is required");
            meta["namespace"] = ns;
            EnsureNamespace(ns, changes);
        }
        else
        {
            meta.Remove("namespace");
        }
        if (string.IsNullOrEmpty(ObjectMeta.Name(obj)))
        {
            var prefix = (string?)meta["generateName"];
            if (string.IsNullOrEmpty(prefix))
                throw ApiException.Invalid(kind, "", [new FieldCause("FieldValueRequired", "Required value: name or generateName is required", "metadata.name")]);
            meta["name"] = prefix + RandomSuffix();
        }
        var name = ObjectMeta.Name(obj);
        if (_objects.ContainsKey(ObjectKey.Of(kind, ns, name)))
            throw ApiException.AlreadyExists(kind, name);
        obj["apiVersion"] = kind.ApiVersion;
        obj["kind"] = kind.Kind;
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = ObjectMeta.Now();
        meta["generation"] = 1;
        meta.Remove("deletionTimestamp");
        meta.Remove("resourceVersion");
        if (!direct)
        {
            // Like the real create strategies: status is owned by controllers and written through /status.
            if (kind.HasStatus)
                obj.Remove("status");
            BuiltInValidator.Normalize(kind, obj);
            BuiltInValidator.Validate(kind, obj, null);
            obj = validator.Admit(kind, obj, null);
        }
        if (kind.IsNamespace && obj["status"] is null)
            obj["status"] = new JsonObject { ["phase"] = "Active" };
        if (kind.IsNamespace)
            (obj["spec"] as JsonObject ?? (JsonObject)(obj["spec"] = new JsonObject()))["finalizers"] = new JsonArray("kubernetes");
        if (!direct && kind is { Group: "", Plural: "persistentvolumeclaims" } && !ObjectMeta.Finalizers(obj).Contains(PvcProtection))
        {
            // The StorageObjectInUseProtection admission plugin: a claim in use outlives its deletion.
            meta["finalizers"] = new JsonArray([.. ObjectMeta.Finalizers(obj).Append(PvcProtection).Select(f => (JsonNode?)JsonValue.Create(f))]);
        }
        if (kind.IsCustomResourceDefinition)
            AcceptDefinition(kind, obj);
        return Clone(Commit(kind, "ADDED", obj, null, changes));
    }

    private JsonObject UpdateLocked(ResourceKind kind, JsonObject current, JsonObject next, List<ObjectChange> changes, bool admit = true)
    {
        if (admit)
        {
            CheckNoNewFinalizersWhileDeleting(kind, current, next);
            BuiltInValidator.Normalize(kind, next);
            BuiltInValidator.Validate(kind, next, current);
            next = validator.Admit(kind, next, current);
        }
        if (!JsonNode.DeepEquals(ObjectMeta.Spec(current), ObjectMeta.Spec(next)))
            ObjectMeta.Of(next)["generation"] = ObjectMeta.Generation(current) + 1;
        if (ObjectMeta.IsDeleting(current) && !ObjectMeta.HasFinalizers(next) && !(kind.IsNamespace && next["spec"]?["finalizers"] is JsonArray { Count: > 0 }))
        {
            // The last finalizer is gone: the pending delete completes now; the garbage collector takes the dependents.
            return Clone(Commit(kind, "DELETED", next, current, changes));
        }
        ObjectMeta.Of(next)["resourceVersion"] = ObjectMeta.ResourceVersion(current);
        if (JsonNode.DeepEquals(current, next))
            return Clone(current); // A no-op write does not bump resourceVersion, as on a real server.
        if (kind.IsCustomResourceDefinition)
            AcceptDefinition(kind, next);
        return Clone(Commit(kind, "MODIFIED", next, current, changes));
    }

    private static void CheckNoNewFinalizersWhileDeleting(ResourceKind kind, JsonObject current, JsonObject next)
    {
        if (!ObjectMeta.IsDeleting(current))
            return;
        var before = ObjectMeta.Finalizers(current);
        var added = ObjectMeta.Finalizers(next).Where(f => !before.Contains(f)).ToList();
        if (added.Count > 0)
        {
            var list = string.Join(", ", added.Select(f => $"\"{f}\""));
            throw ApiException.Invalid(kind, ObjectMeta.Name(current),
                [new FieldCause("FieldValueForbidden", $"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{{{list}}}", "metadata.finalizers")]);
        }
    }

    /// <summary>Applies subresource rules: main writes keep the stored status, /status writes keep everything else.</summary>
    private static JsonObject Compose(ResourceKind kind, JsonObject current, JsonObject body, string? subresource)
    {
        JsonObject next;
        if (subresource == "status")
        {
            if (!kind.HasStatus)
                throw ApiException.NoSuchResource();
            next = (JsonObject)current.DeepClone();
            next.Remove("status");
            if (body["status"] is { } status)
                next["status"] = status.DeepClone();
            return next;
        }
        if (subresource is not null)
            throw ApiException.NoSuchResource();
        next = (JsonObject)body.DeepClone();
        if (kind.HasStatus)
        {
            next.Remove("status");
            if (current["status"] is { } status)
                next["status"] = status.DeepClone();
        }
        return Preserve(kind, current, next);
    }

    private static JsonObject Preserve(ResourceKind kind, JsonObject current, JsonObject next)
    {
        var meta = ObjectMeta.Of(next);
        var currentMeta = ObjectMeta.Of(current);
        foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds" })
        {
            meta.Remove(field);
            if (currentMeta[field] is { } value)
                meta[field] = value.DeepClone();
        }
        next["apiVersion"] = kind.ApiVersion;
        next["kind"] = kind.Kind;
        return next;
    }

    private static void CheckPrecondition(ResourceKind kind, JsonObject current, string? expected)
    {
        if (!string.IsNullOrEmpty(expected) && expected != ObjectMeta.ResourceVersion(current))
            throw ApiException.Conflict(kind, ObjectMeta.Name(current));
    }

    private void EnsureNamespace(string ns, List<ObjectChange> changes)
    {
        var namespaces = registry.Find("", "v1", "namespaces")!;
        if (_objects.TryGetValue(ObjectKey.Of(namespaces, null, ns), out var existing))
        {
            if (ObjectMeta.IsDeleting(existing))
                throw new ApiException(403, "Forbidden", $"unable to create new content in namespace {ns} because it is being terminated");
            return;
        }
        if (!options.AutoCreateNamespaces)
            throw ApiException.NotFound(namespaces, ns);
        CreateLocked(namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, changes, direct: false);
    }

    private JsonObject Find(ResourceKind kind, string? ns, string name) =>
        _objects.TryGetValue(ObjectKey.Of(kind, ns, name), out var obj) ? obj : throw ApiException.NotFound(kind, name);

    private IEnumerable<JsonObject> Matching(ResourceKind kind, string? ns) =>
        _objects.Where(p => p.Key.IsOf(kind) && (ns is null || p.Key.Namespace == ns))
            .Select(p => p.Value)
            .OrderBy(SortKey, StringComparer.Ordinal);

    private static string SortKey(JsonObject obj) => $"{ObjectMeta.Namespace(obj)}/{ObjectMeta.Name(obj)}";

    private static string RandomSuffix()
    {
        const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Concat(Enumerable.Range(0, 5).Select(_ => Alphabet[Random.Shared.Next(Alphabet.Length)]));
    }

    private static string RvString(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static JsonObject Clone(JsonObject obj) => (JsonObject)obj.DeepClone();

    private void Raise(List<ObjectChange> changes)
    {
        foreach (var change in changes)
            Committed?.Invoke(change);
    }
}
