using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>Built-in kinds plus those registered by CustomResourceDefinitions.</summary>
internal sealed class ResourceRegistry
{
    private readonly ConcurrentDictionary<(string Group, string Version, string Plural), ResourceKind> _kinds = new();

    public ResourceRegistry()
    {
        Add(new("", "v1", "namespaces", "Namespace", Namespaced: false, HasStatus: true));
        Add(new("", "v1", "pods", "Pod", Namespaced: true, HasStatus: true));
        Add(new("", "v1", "secrets", "Secret", Namespaced: true, HasStatus: false));
        Add(new("", "v1", "configmaps", "ConfigMap", Namespaced: true, HasStatus: false));
        Add(new("", "v1", "serviceaccounts", "ServiceAccount", Namespaced: true, HasStatus: false));
        Add(new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", Namespaced: true, HasStatus: true));
        Add(new("", "v1", "persistentvolumes", "PersistentVolume", Namespaced: false, HasStatus: true));
        Add(new("", "v1", "events", "Event", Namespaced: true, HasStatus: false));
        Add(new("events.k8s.io", "v1", "events", "Event", Namespaced: true, HasStatus: false));
        // batch/v1 Jobs orphan their pods on a plain DELETE, like the real REST strategy.
        Add(new("batch", "v1", "jobs", "Job", Namespaced: true, HasStatus: true, DefaultPropagation: "Orphan"));
        Add(new("coordination.k8s.io", "v1", "leases", "Lease", Namespaced: true, HasStatus: false));
        Add(new("storage.k8s.io", "v1", "storageclasses", "StorageClass", Namespaced: false, HasStatus: false));
        Add(new("snapshot.storage.k8s.io", "v1", "volumesnapshots", "VolumeSnapshot", Namespaced: true, HasStatus: true));
        Add(new("snapshot.storage.k8s.io", "v1", "volumesnapshotclasses", "VolumeSnapshotClass", Namespaced: false, HasStatus: false));
        // The volume-data-source-validator's CRD (kubernetes-csi): populators register their source kinds with it.
        Add(new("populator.storage.k8s.io", "v1beta1", "volumepopulators", "VolumePopulator", Namespaced: false, HasStatus: false));
        Add(new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", Namespaced: false, HasStatus: true));
    }

    public ResourceKind? Find(string group, string version, string plural) =>
        _kinds.TryGetValue((group, version, plural), out var kind) ? kind : null;

    public ResourceKind? FindByKind(string apiVersion, string kind) =>
        _kinds.Values.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind);

    public ResourceKind? FindByApiVersion(string apiVersion, string plural) =>
        _kinds.Values.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Plural == plural);

    /// <summary>Registers every served version of a CRD; returns the kinds now served.</summary>
    public IReadOnlyList<ResourceKind> Register(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject;
        var group = (string?)spec?["group"] ?? "";
        var names = spec?["names"] as JsonObject;
        var plural = (string?)names?["plural"] ?? "";
        var kindName = (string?)names?["kind"] ?? "";
        var namespaced = (string?)spec?["scope"] != "Cluster";
        Unregister(group, plural);
        var added = new List<ResourceKind>();
        foreach (var version in (spec?["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (version["served"] is JsonValue served && !served.GetValue<bool>())
                continue;
            var hasStatus = version["subresources"]?["status"] is not null;
            var schema = version["schema"]?["openAPIV3Schema"]?.DeepClone() as JsonObject;
            var kind = new ResourceKind(group, (string?)version["name"] ?? "", plural, kindName, namespaced, hasStatus, schema, IsCustom: true);
            Add(kind);
            added.Add(kind);
        }
        return added;
    }

    public void Unregister(string group, string plural)
    {
        foreach (var key in _kinds.Keys.Where(k => k.Group == group && k.Plural == plural).ToList())
            _kinds.TryRemove(key, out _);
    }

    private void Add(ResourceKind kind) => _kinds[(kind.Group, kind.Version, kind.Plural)] = kind;
}
