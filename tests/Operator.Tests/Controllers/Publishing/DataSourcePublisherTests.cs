using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Publishing;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Runtime.Events;
using Imprint.Operator.Runtime.Informers;
using Imprint.Testing.FakeApiServer;
using Imprint.Testing.NodeSimulator.KubeVirt;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Tests.Controllers.Publishing;

/// <summary>The publisher's decisions against the fake API server with CDI's DataSource definition (no agent, no CDI controllers).</summary>
public sealed class DataSourcePublisherTests
{
    private const string Ns = "images";
    private const string Cdi = KubeVirtSimulator.CdiApiVersion;
    private static readonly TimeSpan Recheck = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Image_that_never_asked_to_publish_costs_no_api_call()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        using var client = Client(server);
        var golden = Golden(publish: null);

        var again = await Publisher(client, new Recorder()).ReconcileAsync(golden, golden.Status!, Recheck, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Null(again);
        Assert.Empty(server.Requests);
        Assert.Null(Conditions.Find(golden.Status!.Conditions, DataSourcePublisher.ConditionType));
    }

    [Fact]
    public async Task Data_source_of_that_name_owned_by_someone_else_is_left_alone_and_reported()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        KubeVirtCrds.InstallCdi(server);
        using var client = Client(server);
        var theirs = server.Put(DataSource("fedora", "their-pvc"));
        var golden = Golden(publish: "fedora");
        var events = new Recorder();

        var again = await Publisher(client, events).ReconcileAsync(golden, golden.Status!, Recheck, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(Recheck, again);
        var condition = Conditions.Find(golden.Status!.Conditions, DataSourcePublisher.ConditionType)!;
        Assert.Equal((ConditionStatus.False, DataSourcePublisher.DataSourceNameTaken), (condition.Status, condition.Reason));
        Assert.Null(golden.Status.DataSource);
        Assert.Equal(theirs.ToJsonString(), server.Get(Cdi, "datasources", Ns, "fedora")!.ToJsonString());
        Assert.Equal([(EventType.Warning, DataSourcePublisher.DataSourceNameTaken)], events.Recorded);
    }

    [Fact]
    public async Task Renamed_data_source_is_created_under_the_new_name_and_the_old_one_it_owned_is_deleted()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        KubeVirtCrds.InstallCdi(server);
        using var client = Client(server);
        var golden = Golden(publish: "old");
        var publisher = Publisher(client, new Recorder());
        await publisher.ReconcileAsync(golden, golden.Status!, Recheck, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.NotNull(server.Get(Cdi, "datasources", Ns, "old"));

        golden.Spec.Publish!.DataSource!.Name = "new";
        await publisher.ReconcileAsync(golden, golden.Status!, Recheck, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Null(server.Get(Cdi, "datasources", Ns, "old"));
        var created = server.Get(Cdi, "datasources", Ns, "new")!;
        Assert.Equal(("golden-disk", Ns), ((string?)created["spec"]!["source"]!["pvc"]!["name"], (string?)created["spec"]!["source"]!["pvc"]!["namespace"]));
        Assert.Equal("new", golden.Status!.DataSource?.Name);
    }

    [Fact]
    public async Task Image_not_ready_yet_creates_nothing_and_says_it_waits()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        KubeVirtCrds.InstallCdi(server);
        using var client = Client(server);
        var golden = Golden(publish: "fedora");
        golden.Status!.Phase = GoldenImagePhase.Sealing;

        var again = await Publisher(client, new Recorder()).ReconcileAsync(golden, golden.Status, Recheck, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Null(again); // the image's own progress brings it back here
        Assert.Empty(server.List(Cdi, "datasources", Ns));
        Assert.Equal(DataSourcePublisher.GoldenImageNotReady, Conditions.Find(golden.Status.Conditions, DataSourcePublisher.ConditionType)!.Reason);
    }

    private static KubernetesClient Client(FakeKubeApiServer server) =>
        new(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });

    private static DataSourcePublisher Publisher(KubernetesClient client, IEventRecorder events) => new(client, new CachedReader(client, null), events);

    private static V1Alpha1GoldenImage Golden(string? publish) => new()
    {
        Metadata = new V1ObjectMeta { Name = "fedora-image", NamespaceProperty = Ns, Uid = "golden-uid", Generation = 1 },
        Spec = new V1Alpha1GoldenImage.GoldenImageSpec
        {
            Publish = publish is null ? null : new PublishSpec { DataSource = new LocalObjectReference { Name = publish } },
        },
        Status = new V1Alpha1GoldenImage.GoldenImageStatus
        {
            Phase = GoldenImagePhase.Ready,
            Pvc = new NamespacedObjectReference { Name = "golden-disk", Namespace = Ns },
        },
    };

    private static JsonObject DataSource(string name, string pvc) => new()
    {
        ["apiVersion"] = Cdi,
        ["kind"] = "DataSource",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
        ["spec"] = new JsonObject { ["source"] = new JsonObject { ["pvc"] = new JsonObject { ["name"] = pvc, ["namespace"] = Ns } } },
    };

    private sealed class Recorder : IEventRecorder
    {
        public List<(string Type, string Reason)> Recorded { get; } = [];

        public void Record(IKubernetesObject<V1ObjectMeta> regarding, string type, string reason, string note, string? action = null) => Recorded.Add((type, reason));
    }
}
