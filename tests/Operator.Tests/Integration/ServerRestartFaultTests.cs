using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Tests.Integration.Support;
using Imprint.Operator.Tests.Runtime.Support;
using Xunit.Abstractions;

namespace Imprint.Operator.Tests.Integration;

/// <summary>
/// The fault test of issue 4: the API server restarts (every watch cut mid-stream, connections refused for a moment)
/// while objects are created and changed. The controller must converge (each object reconciled at its latest
/// generation) and must not reconcile any generation of any object twice.
/// </summary>
public sealed class ServerRestartFaultTests(ITestOutputHelper output)
{
    private const int Objects = 12;
    private const int Rounds = 4;

    [Fact]
    public async Task Server_restarts_mid_watch_and_the_controller_converges_without_reconciling_a_generation_twice()
    {
        var controller = new CountingController();
        await using var harness = await FakeClusterHarness.CreateAsync(workers: 3, controller: client => controller.Using(client));
        await harness.StartAsync();
        for (var i = 0; i < Objects / 2; i++)
        {
            await WithRetryAsync(() => harness.Client.CreateAsync(TestWidget.Named(Name(i))));
        }

        for (var round = 1; round <= Rounds; round++)
        {
            if (round == 2)
            {
                // The rest are created while the server is going down and coming back.
                var restart = harness.Server.RestartAsync();
                for (var i = Objects / 2; i < Objects; i++)
                {
                    await WithRetryAsync(() => harness.Client.CreateAsync(TestWidget.Named(Name(i))));
                }

                await restart;
            }

            for (var i = 0; i < (round == 1 ? Objects / 2 : Objects); i++)
            {
                var size = round * 10;
                var name = Name(i);
                await WithRetryAsync(() => harness.Client.PatchAsync<TestWidget>(name, "default", new JsonObject { ["spec"] = new JsonObject { ["size"] = size } }));
            }

            if (round == 3)
            {
                await harness.Server.RestartAsync();
            }
        }

        var latest = Enumerable.Range(0, Objects).ToDictionary(Name, i => (long)harness.Server.Get("test.imprint.dev/v1", "widgets", "default", Name(i))!["metadata"]!["generation"]!);
        await Eventually.TrueAsync(
            () => latest.All(kv => controller.Completed.ContainsKey((kv.Key, kv.Value))),
            "every object reconciled at its latest generation",
            60);
        await harness.StopAsync();

        var twice = controller.Completed.Where(kv => kv.Value > 1).Select(kv => $"{kv.Key.Name}@{kv.Key.Generation}×{kv.Value}").ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{controller.Completed.Count} (name, generation) pairs reconciled, {controller.Attempts} attempts, latest generations {string.Join(",", latest.Values.Distinct())}"));
        Assert.Empty(twice);
        Assert.All(latest, kv => Assert.Equal($"Ready-{kv.Value}", (string?)harness.Server.Get("test.imprint.dev/v1", "widgets", "default", kv.Key)!["status"]?["phase"]));
        Assert.Equal(Objects, harness.Runner.Informer!.Count);
    }

    private static string Name(int i) => $"w{i:00}";

    /// <summary>Writes during a restart fail while the port is closed; the test's own writer keeps trying like a user would.</summary>
    private static async Task WithRetryAsync<T>(Func<Task<T>> write)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await write();
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException or KubernetesApiException { StatusCode: >= System.Net.HttpStatusCode.InternalServerError } && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Counts reconciles that completed (status written) per (name, generation); a failed attempt is retried and not counted.</summary>
    private sealed class CountingController : IEntityController<TestWidget>
    {
        private IKubernetesClient _client = null!;
        private int _attempts;

        public ConcurrentDictionary<(string Name, long Generation), int> Completed { get; } = new();

        public int Attempts => Volatile.Read(ref _attempts);

        public CountingController Using(IKubernetesClient client)
        {
            _client = client;
            return this;
        }

        public async Task<ReconcileResult> ReconcileAsync(TestWidget entity, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            var generation = entity.Metadata.Generation ?? 0;
            await _client.PatchStatusAsync<TestWidget>(entity.Metadata.Name, entity.Metadata.NamespaceProperty, StatusPatch.Phase($"Ready-{generation}"), cancellationToken);
            Completed.AddOrUpdate((entity.Metadata.Name!, generation), 1, (_, n) => n + 1);
            return ReconcileResult.Success();
        }

        public Task<ReconcileResult> DeletedAsync(TestWidget entity, CancellationToken cancellationToken) => Task.FromResult(ReconcileResult.Success());
    }
}
