using System.Diagnostics;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Runtime.LeaderElection;
using Imprint.Operator.Tests.Runtime.Support;
using Imprint.Testing.FakeApiServer;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Imprint.Operator.Tests.Runtime.LeaderElection;

[Collection(TimingSensitive.Name)]
public sealed class LeaderElectorTests
{
    private static LeaderElectionOptions Options(string identity, bool releaseOnCancel = true) => new()
    {
        LeaseName = "imprint-operator-leader",
        LeaseNamespace = "imprint-system",
        Identity = identity,
        LeaseDuration = TimeSpan.FromSeconds(1),
        RenewDeadline = TimeSpan.FromMilliseconds(600),
        RetryPeriod = TimeSpan.FromMilliseconds(100),
        ReleaseOnCancel = releaseOnCancel,
    };

    [Fact]
    public async Task Only_one_of_two_candidates_leads_and_the_lease_names_it()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        await using var a = Candidate.Start(client, Options("a"));
        await using var b = Candidate.Start(client, Options("b"));

        await Eventually.TrueAsync(() => a.Elector.IsLeader || b.Elector.IsLeader, "a leader");
        await Task.Delay(500);

        Assert.True(a.Elector.IsLeader ^ b.Elector.IsLeader);
        var leader = a.Elector.IsLeader ? a : b;
        var lease = await client.GetAsync<V1Lease>("imprint-operator-leader", "imprint-system");
        Assert.Equal(leader.Elector.Identity, lease!.Spec!.HolderIdentity);
        Assert.Equal(0, lease.Spec.LeaseTransitions);
        Assert.Equal(1, lease.Spec.LeaseDurationSeconds);
        Assert.True(lease.Spec.RenewTime > lease.Spec.AcquireTime, "renewed since acquired");
        Assert.Equal(1, leader.Started);
    }

    [Fact]
    public async Task Standby_takes_over_within_a_lease_duration_when_the_leader_stops_renewing()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        var first = Candidate.Start(client, Options("first", releaseOnCancel: false));
        await Eventually.TrueAsync(() => first.Elector.IsLeader, "first leads");
        await using var second = Candidate.Start(client, Options("second"));
        await Task.Delay(300);
        Assert.False(second.Elector.IsLeader);

        // A crash: renewals stop, nothing is released.
        await first.DisposeAsync();
        var stopped = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => second.Elector.IsLeader, "second leads");

        // Lease duration (1 s) after the last renewal it saw, plus at most one retry period.
        Assert.InRange(stopped.Elapsed, TimeSpan.FromMilliseconds(700), TimeSpan.FromMilliseconds(1400));
        var lease = await client.GetAsync<V1Lease>("imprint-operator-leader", "imprint-system");
        Assert.Equal("second", lease!.Spec!.HolderIdentity);
        Assert.Equal(1, lease.Spec.LeaseTransitions);
        Assert.Equal(1, first.Stopped);
    }

    [Fact]
    public async Task Graceful_shutdown_releases_the_lease_so_the_standby_leads_at_once()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        var first = Candidate.Start(client, Options("first") with { LeaseDuration = TimeSpan.FromSeconds(5) });
        await Eventually.TrueAsync(() => first.Elector.IsLeader, "first leads");
        await using var second = Candidate.Start(client, Options("second") with { LeaseDuration = TimeSpan.FromSeconds(5) });
        await Task.Delay(300);

        await first.DisposeAsync();
        var released = await client.GetAsync<V1Lease>("imprint-operator-leader", "imprint-system");
        var stopped = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => second.Elector.IsLeader, "second leads", seconds: 3);

        Assert.Equal(string.Empty, released!.Spec!.HolderIdentity);
        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(1), $"took {stopped.Elapsed} with a 5 s lease");
        Assert.True(first.WorkEndedBeforeStop, "leader work ended before OnStoppedLeading");
    }

    [Fact]
    public async Task Leader_that_cannot_renew_steps_down_after_the_renew_deadline()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        await using var a = Candidate.Start(client, Options("a"));
        await Eventually.TrueAsync(() => a.Elector.IsLeader, "a leads");

        // Someone else grabs the lease behind a's back: a's renewals now fail (held by other, not expired).
        var lease = await client.GetAsync<V1Lease>("imprint-operator-leader", "imprint-system");
        lease!.Spec!.HolderIdentity = "intruder";
        lease.Spec.LeaseDurationSeconds = 30;
        await client.ReplaceAsync(lease);
        var taken = Stopwatch.StartNew();

        await Eventually.TrueAsync(() => !a.Elector.IsLeader, "a steps down");
        Assert.InRange(taken.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(1500));
        Assert.Equal(1, a.Stopped);
        Assert.True(a.LeadingTokenCancelled);
    }

    private sealed class Candidate : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _run = Task.CompletedTask;
        private volatile bool _workEnded;

        private Candidate(LeaderElector elector) => Elector = elector;

        public LeaderElector Elector { get; }

        public int Started { get; private set; }

        public int Stopped { get; private set; }

        public bool LeadingTokenCancelled { get; private set; }

        public bool WorkEndedBeforeStop { get; private set; }

        public static Candidate Start(KubernetesClient client, LeaderElectionOptions options)
        {
            var candidate = new Candidate(new LeaderElector(client.Api, options, NullLogger<LeaderElector>.Instance));
            candidate._run = candidate.Elector.RunAsync(candidate.LeadAsync, candidate.OnStopped, candidate._stop.Token);
            return candidate;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await _stop.CancelAsync();
                await _run.WaitAsync(TimeSpan.FromSeconds(5));
            }
        }

        private async Task LeadAsync(CancellationToken leading)
        {
            Started++;
            _workEnded = false;
            try
            {
                await Task.Delay(Timeout.Infinite, leading);
            }
            catch (OperationCanceledException)
            {
                LeadingTokenCancelled = true;
            }

            _workEnded = true;
        }

        private void OnStopped()
        {
            Stopped++;
            WorkEndedBeforeStop = _workEnded;
        }
    }
}
