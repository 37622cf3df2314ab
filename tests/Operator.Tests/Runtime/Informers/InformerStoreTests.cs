using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Informers;
using Imprint.Operator.Runtime.Watching;
using Imprint.Operator.Tests.Runtime.Support;
using k8s.Models;

namespace Imprint.Operator.Tests.Runtime.Informers;

public sealed class InformerStoreTests
{
    [Fact]
    public void Indexes_by_namespace_and_by_controlling_owner_follow_updates_and_removals()
    {
        var store = new InformerStore<V1Job>();
        store.Upsert(Job("a-1", "team-a", rv: "1", owner: "uid-a"));
        store.Upsert(Job("a-2", "team-a", rv: "2", owner: "uid-a", controller: false));
        store.Upsert(Job("b-1", "team-b", rv: "3", owner: "uid-b"));

        Assert.Equal(["a-1", "a-2"], Names(store.List("team-a")));
        Assert.Equal(["a-1"], Names(store.ListByOwner("uid-a")));

        // Re-owned and moved out of uid-a's index; then removed altogether.
        store.Upsert(Job("a-1", "team-a", rv: "4", owner: "uid-b"));
        Assert.Empty(store.ListByOwner("uid-a"));
        Assert.Equal(["a-1", "b-1"], Names(store.ListByOwner("uid-b")));
        Assert.Equal("4", store.Remove("team-a/a-1")!.Metadata.ResourceVersion);

        Assert.Equal(["b-1"], Names(store.ListByOwner("uid-b")));
        Assert.Equal(["a-2"], Names(store.List("team-a")));
        Assert.Equal(2, store.Count);
        Assert.Null(store.Remove("team-a/a-1"));
    }

    [Fact]
    public void Replace_reports_the_difference_to_a_fresh_list_as_events()
    {
        var store = new InformerStore<V1Job>();
        store.Upsert(Job("same", "ns", rv: "1"));
        store.Upsert(Job("changed", "ns", rv: "2"));
        store.Upsert(Job("gone", "ns", rv: "3", owner: "uid-x"));

        var changes = store.Replace([Job("same", "ns", rv: "1"), Job("changed", "ns", rv: "9"), Job("new", "ns", rv: "10")]);

        Assert.Equal(
            [(EntityEventType.Added, "new"), (EntityEventType.Deleted, "gone"), (EntityEventType.Modified, "changed")],
            changes.Select(c => (c.Type, c.Object.Metadata.Name!)).OrderBy(c => c.Type == EntityEventType.Added ? 0 : c.Type == EntityEventType.Deleted ? 1 : 2));
        Assert.Equal("2", changes.Single(c => c.Type == EntityEventType.Modified).Previous!.Metadata.ResourceVersion);
        Assert.Empty(store.ListByOwner("uid-x"));
        Assert.Equal(["changed", "new", "same"], Names(store.List()));
    }

    private static string[] Names(IEnumerable<V1Job> jobs) => [.. jobs.Select(j => j.Metadata.Name!).Order(StringComparer.Ordinal)];

    private static V1Job Job(string name, string ns, string rv, string? owner = null, bool controller = true) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = ns,
            ResourceVersion = rv,
            OwnerReferences = owner is null ? null : [new V1OwnerReference { ApiVersion = "test.imprint.dev/v1", Kind = "Widget", Name = owner, Uid = owner, Controller = controller }],
        },
    };
}
