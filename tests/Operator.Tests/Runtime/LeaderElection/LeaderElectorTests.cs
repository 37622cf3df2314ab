using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Runtime.LeaderElection;
using Imprint.Operator.Tests.Runtime.Support;
using Imprint.Testing.FakeApiServer;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Imprint.Operator.Tests.Runtime.LeaderElection;

/// <summary>
/// The library's elector keeps real time (it takes no clock), so these tests wait for lease states, not for fixed
/// intervals, and assert order from the lease's own timestamps rather than from a stopwatch.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class LeaderElectorTests
{
    private const string LeasePath = "/apis/coordination.k8s.io/v1/namespaces/imprint-system/leases/imprint-operator-leader";

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

        // Watch the lease through several renewals (not a fixed sleep): at no sample do both lead.
        var renewals = new HashSet<DateTime>();
        var bothLed = false;
        await Eventually.TrueAsync(
            () =>
            {
                bothLed |= a.Elector.IsLeader && b.Elector.IsLeader;
                if (LeaseSpec(server) is { RenewTime: { } renewed })
                {
                    renewals.Add(renewed);
                }

                return renewals.Count >= 4 && (a.Elector.HasObservedLease && b.Elector.HasObservedLease);
            },
            "lease renewed several times, both candidates have read it");

        Assert.False(bothLed);
        Assert.True(a.Elector.IsLeader ^ b.Elector.IsLeader);
        var leader = a.Elector.IsLeader ? a : b;
        var standby = a.Elector.IsLeader ? b : a;
        var lease = await client.GetAsync<V1Lease>("imprint-operator-leader", "imprint-system");
        Assert.Equal(leader.Elector.Identity, lease!.Spec!.HolderIdentity);
        Assert.Equal(leader.Elector.Identity, standby.Elector.ObservedLeader);
        Assert.Equal(0, lease.Spec.LeaseTransitions);
        Assert.Equal(1, lease.Spec.LeaseDurationSeconds);
        Assert.True(lease.Spec.RenewTime > lease.Spec.AcquireTime, "renewed since acquired");
        Assert.Equal(1, leader.Started);
        Assert.Equal(0, standby.Started);
    }

    [Fact]
    public async Task Standby_takes_over_only_after_the_lease_expired_when_the_leader_stops_renewing()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        var first = Candidate.Start(client, Options("first", releaseOnCancel: false));
        await Eventually.TrueAsync(() => first.Elector.IsLeader, "first leads");
        await using var second = Candidate.Start(client, Options("second"));
        await Eventually.TrueAsync(() => second.Elector.HasObservedLease, "second stands by");
        Assert.False(second.Elector.IsLeader);
        Assert.Equal("first", second.Elector.ObservedLeader);

        // A crash: renewals stop, nothing is released.
        await first.DisposeAsync();
        var abandoned = LeaseSpec(server)!;
        await Eventually.TrueAsync(() => second.Elector.IsLeader, "second leads");

        // The lease records the order: the standby acquired no earlier than a lease duration after the last renewal.
        var lease = await client.GetAsync<V1Lease>("imprint-operator-leader", "imprint-system");
        Assert.Equal("first", abandoned.HolderIdentity);
        Assert.Equal("second", lease!.Spec!.HolderIdentity);
        Assert.True(lease.Spec.AcquireTime >= abandoned.RenewTime!.Value.AddSeconds(abandoned.LeaseDurationSeconds!.Value), $"acquired {lease.Spec.AcquireTime:O}, last renewal {abandoned.RenewTime:O}");
        Assert.Equal(1, lease.Spec.LeaseTransitions);
        Assert.Equal(1, first.Stopped);
    }

    [Fact]
    public async Task Graceful_shutdown_releases_the_lease_so_the_standby_leads_before_it_would_have_expired()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        var leaseDuration = TimeSpan.FromSeconds(30);
        var first = Candidate.Start(client, Options("first") with { LeaseDuration = leaseDuration });
        await Eventually.TrueAsync(() => first.Elector.IsLeader, "first leads");
        await using var second = Candidate.Start(client, Options("second") with { LeaseDuration = leaseDuration });
        await Eventually.TrueAsync(() => second.Elector.HasObservedLease, "second stands by");
        var held = LeaseSpec(server)!;

        await first.DisposeAsync();
        var released = await client.GetAsync<V1Lease>("imprint-operator-leader", "imprint-system");
        await Eventually.TrueAsync(() => second.Elector.IsLeader, "second leads", seconds: 20);

        Assert.Equal(string.Empty, released!.Spec!.HolderIdentity);
        var lease = await client.GetAsync<V1Lease>("imprint-operator-leader", "imprint-system");
        Assert.Equal("second", lease!.Spec!.HolderIdentity);
        Assert.True(lease.Spec.AcquireTime < held.RenewTime!.Value + leaseDuration, $"acquired {lease.Spec.AcquireTime:O}, the held lease ran to {held.RenewTime + leaseDuration:O}");
        Assert.True(first.WorkEndedBeforeStop, "leader work ended before OnStoppedLeading");
    }

    [Fact]
    public async Task Leader_that_cannot_renew_keeps_trying_then_steps_down_without_overwriting_the_new_holder()
    {
        await using var server = await FakeKubeApiServer.StartAsync();
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });
        await using var a = Candidate.Start(client, Options("a"));
        await Eventually.TrueAsync(() => a.Elector.IsLeader, "a leads");

        // Someone else grabs the lease behind a's back: a's renewals now fail (held by other, not expired).
        // a renews every few milliseconds, so the intruder's read-modify-write retries on a conflict as any writer would.
        for (var written = false; !written;)
        {
            var lease = await client.GetAsync<V1Lease>("imprint-operator-leader", "imprint-system");
            lease!.Spec!.HolderIdentity = "intruder";
            lease.Spec.LeaseDurationSeconds = 30;
            try
            {
                await client.ReplaceAsync(lease);
                written = true;
            }
            catch (KubernetesApiException e) when (e.IsConflict)
            {
            }
        }

        var taken = server.Requests.Count;

        await Eventually.TrueAsync(() => !a.Elector.IsLeader, "a steps down");
        var attempts = server.Requests.Skip(taken).Count(r => r.Method == "GET" && r.Path == LeasePath);
        Assert.True(attempts >= 2, $"a read the lease {attempts} time(s) before giving up: it should retry until the renew deadline");
        Assert.DoesNotContain(server.Requests.Skip(taken), r => r.Method == "PUT" && r.Path == LeasePath && r.StatusCode == 200);
        Assert.Equal("intruder", LeaseSpec(server)!.HolderIdentity);
        Assert.Equal(1, a.Stopped);
        Assert.True(a.LeadingTokenCancelled);
    }

    private static V1LeaseSpec? LeaseSpec(FakeKubeApiServer server) =>
        server.Get("coordination.k8s.io/v1", "leases", "imprint-system", "imprint-operator-leader") is { } lease
            ? KubernetesJson.Deserialize<V1Lease>(lease.ToJsonString()).Spec
            : null;

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
            var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var registration = leading.Register(() => lost.TrySetCanceled(leading));
            try
            {
                await lost.Task;
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
