using System.Diagnostics;
using System.Text.Json.Nodes;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Tests.Integration.Support;
using Imprint.Operator.Tests.Runtime.Support;

namespace Imprint.Operator.Tests.Integration;

/// <summary>Status writes and throttling of the controller runtime over the real client against the fake API server.</summary>
public sealed class RuntimeWritesAgainstFakeServerTests
{
    private const string WidgetsPath = "/apis/test.imprint.dev/v1/namespaces/default/widgets";

    [Fact]
    public async Task A_reconciler_status_write_does_not_trigger_another_reconcile_of_the_same_generation()
    {
        await using var harness = await FakeClusterHarness.CreateAsync(controller: client => new StatusWritingController(client));
        await harness.StartAsync();
        await harness.Client.CreateAsync(TestWidget.Named("a"));
        await Eventually.TrueAsync(() => Phase(harness, "a") == "Ready-1", "status written by the reconciler", 20);

        // A later spec change is the barrier: every event before it has been handled once it is reconciled.
        await harness.Client.PatchAsync<TestWidget>("a", "default", JsonNode.Parse("""{"spec":{"size":3}}""")!);
        await Eventually.TrueAsync(() => Phase(harness, "a") == "Ready-2", "second generation reconciled", 20);
        await harness.StopAsync();

        // One successful status write per generation: each write is one reconcile (a repeat would write again).
        var reconciles = harness.Server.Requests.Count(r => r.Method == "PATCH" && r.Path == WidgetsPath + "/a/status" && r.StatusCode == 200);
        Assert.Equal(2, reconciles);
    }

    [Fact]
    public async Task A_429_with_Retry_After_on_the_status_write_is_waited_out_and_no_pass_reads_the_object_from_the_api()
    {
        await using var harness = await FakeClusterHarness.CreateAsync(controller: client => new StatusWritingController(client));
        await harness.StartAsync();
        harness.Server.FailNext(r => r.Method == "PATCH" && r.Path == WidgetsPath + "/busy/status", 429, retryAfter: TimeSpan.FromSeconds(1));
        var started = Stopwatch.StartNew();

        await harness.Client.CreateAsync(TestWidget.Named("busy"));
        await Eventually.TrueAsync(() => Phase(harness, "busy") == "Ready-1", "status written after the throttled write", 20);
        var waited = started.Elapsed;
        await harness.StopAsync();

        var writes = harness.Server.Requests.Where(r => r.Method == "PATCH" && r.Path == WidgetsPath + "/busy/status").Select(r => r.StatusCode).ToList();
        Assert.Equal([429, 200], writes);
        Assert.True(waited >= TimeSpan.FromSeconds(0.95), $"written {waited.TotalMilliseconds:0} ms after the create, before Retry-After passed");
        Assert.DoesNotContain(harness.Server.Requests, r => r.Method == "GET" && r.Path == WidgetsPath + "/busy");
    }

    private static string? Phase(FakeClusterHarness harness, string name) =>
        (string?)harness.Server.Get("test.imprint.dev/v1", "widgets", "default", name)?["status"]?["phase"];

    /// <summary>Writes <c>Ready-&lt;generation&gt;</c> to status on every reconcile, as real controllers do.</summary>
    private sealed class StatusWritingController(Imprint.Operator.Kubernetes.IKubernetesClient client) : IEntityController<TestWidget>
    {
        public async Task<ReconcileResult> ReconcileAsync(TestWidget entity, CancellationToken cancellationToken)
        {
            await client.PatchStatusAsync<TestWidget>(entity.Metadata.Name, entity.Metadata.NamespaceProperty, StatusPatch.Phase($"Ready-{entity.Metadata.Generation}"), cancellationToken);
            return ReconcileResult.Success();
        }

        public Task<ReconcileResult> DeletedAsync(TestWidget entity, CancellationToken cancellationToken) => Task.FromResult(ReconcileResult.Success());
    }
}
