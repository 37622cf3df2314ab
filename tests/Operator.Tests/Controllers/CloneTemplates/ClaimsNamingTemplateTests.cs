using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.CloneTemplates;
using Imprint.Operator.Runtime;
using Imprint.Operator.Runtime.Informers;
using Imprint.Operator.Runtime.Watching;
using k8s.Models;

namespace Imprint.Operator.Tests.Controllers.CloneTemplates;

public sealed class ClaimsNamingTemplateTests
{
    [Fact]
    public void Template_creation_wakes_only_the_unbound_live_claims_of_its_namespace_that_name_it()
    {
        var claims = new ClaimCache(
            Claim("vms", "waiting", "web"),
            Claim("vms", "bound", "web", phase: "Bound"),
            Claim("vms", "leaving", "web", deleting: true),
            Claim("vms", "other", "db"),
            Claim("elsewhere", "waiting", "web"),
            new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "plain", NamespaceProperty = "vms" }, Spec = new V1PersistentVolumeClaimSpec() });

        var keys = ClaimsNamingTemplate.Map(claims)(new InformerEvent<V1Alpha1CloneTemplate>(EntityEventType.Added, Template(1), null));

        Assert.Equal([new EntityKey("vms", "waiting")], keys);
    }

    [Fact]
    public void Status_only_update_wakes_nobody_but_a_spec_change_or_deletion_does()
    {
        var map = ClaimsNamingTemplate.Map(new ClaimCache(Claim("vms", "waiting", "web")));

        Assert.Empty(map(new InformerEvent<V1Alpha1CloneTemplate>(EntityEventType.Modified, Template(1), Template(1))));
        Assert.Single(map(new InformerEvent<V1Alpha1CloneTemplate>(EntityEventType.Modified, Template(2), Template(1))));
        Assert.Single(map(new InformerEvent<V1Alpha1CloneTemplate>(EntityEventType.Deleted, Template(1), Template(1))));
    }

    private static V1Alpha1CloneTemplate Template(long generation) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "vms", Generation = generation },
    };

    private static V1PersistentVolumeClaim Claim(string ns, string name, string template, string phase = "Pending", bool deleting = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, DeletionTimestamp = deleting ? DateTime.UtcNow : null },
        Spec = new V1PersistentVolumeClaimSpec { DataSourceRef = new V1TypedObjectReference { ApiGroup = "imprint.dev", Kind = "CloneTemplate", Name = template } },
        Status = new V1PersistentVolumeClaimStatus { Phase = phase },
    };

    /// <summary>The claim cache as the map sees it: stored objects, no server.</summary>
    private sealed class ClaimCache : IInformerCache<V1PersistentVolumeClaim>
    {
        private readonly InformerStore<V1PersistentVolumeClaim> _store = new();

        public ClaimCache(params V1PersistentVolumeClaim[] claims)
        {
            foreach (var claim in claims)
            {
                _store.Upsert(claim);
            }
        }

        public bool HasSynced => true;

        public string? LastSyncResourceVersion => null;

        public int Count => _store.Count;

        public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public V1PersistentVolumeClaim? Get(string? ns, string name) => _store.Get(new EntityKey(ns, name).ToString());

        public IReadOnlyList<V1PersistentVolumeClaim> List(string? ns = null) => _store.List(ns);

        public IReadOnlyList<V1PersistentVolumeClaim> ListByOwner(string ownerUid) => _store.ListByOwner(ownerUid);
    }
}
