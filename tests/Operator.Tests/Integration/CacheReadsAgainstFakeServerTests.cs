using System.Collections.Concurrent;
using System.Globalization;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Tests.Integration.Support;
using Imprint.Operator.Tests.Runtime.Support;

namespace Imprint.Operator.Tests.Integration;

/// <summary>Reconciles read from the informer cache, yet never act on a state older than one they wrote themselves.</summary>
public sealed class CacheReadsAgainstFakeServerTests
{
    private const string WidgetsPath = "/apis/test.imprint.dev/v1/namespaces/default/widgets";
    private const int Passes = 8;

    [Fact]
    public async Task Back_to_back_passes_each_see_the_status_the_previous_pass_wrote_even_before_the_cache_has_it()
    {
        var counter = (CountingController?)null;
        await using var harness = await FakeClusterHarness.CreateAsync(
            controller: client => counter = new CountingController(client),
            informerClient: client => new LaggingWatchClient(client, TimeSpan.FromMilliseconds(300)),
            runnerTime: TimeProvider.System);
        await harness.StartAsync();

        await harness.Client.CreateAsync(TestWidget.Named("counter"));
        await Eventually.TrueAsync(() => counter!.Seen.Count >= Passes, "all passes", 30);
        await harness.StopAsync();

        // Each pass requeues itself at once, well before the lagging watch delivers its write: had it read the cache
        // then, it would have seen the previous count again (and its write would have failed with 409).
        Assert.Equal(Enumerable.Range(0, Passes), counter!.Seen.Take(Passes));
        Assert.Equal(0, counter.Conflicts);
        Assert.DoesNotContain(harness.Server.Requests, r => r.Method == "PUT" && r.StatusCode == 409);
        var reads = harness.Server.Requests.Count(r => r.Method == "GET" && r.Path == WidgetsPath + "/counter");
        Assert.InRange(reads, 1, Passes);
    }

    /// <summary>Reads status.phase "n", writes "n+1" through <see cref="StatusWriter"/>, and asks to run again at once.</summary>
    private sealed class CountingController(Imprint.Operator.Kubernetes.IKubernetesClient client) : IEntityController<TestWidget>
    {
        public ConcurrentQueue<int> Seen { get; } = new();

        public int Conflicts { get; private set; }

        public async Task<ReconcileResult> ReconcileAsync(TestWidget entity, CancellationToken cancellationToken)
        {
            var count = int.TryParse(entity.Status?.Phase, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            Seen.Enqueue(count);
            if (count >= Passes)
            {
                return ReconcileResult.Success();
            }

            entity.Status = new TestWidget.WidgetStatus { Phase = (count + 1).ToString(CultureInfo.InvariantCulture) };
            if (!await StatusWriter.WriteAsync(client, entity, cancellationToken))
            {
                Conflicts++;
            }

            return ReconcileResult.Requeue(TimeSpan.FromMilliseconds(1));
        }

        public Task<ReconcileResult> DeletedAsync(TestWidget entity, CancellationToken cancellationToken) => Task.FromResult(ReconcileResult.Success());
    }
}
