using k8s.Models;
using Imprint.Operator.Kubernetes;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Runtime.LeaderElection;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease, after client-go's leaderelection: acquire when the lease is free
/// or its holder has not renewed for a lease duration (timed on our own monotonic clock from when we last saw the
/// record change, so clock skew between nodes does not matter), renew every retry period, give up after the renew
/// deadline, and release on graceful shutdown. Every write carries the read resourceVersion; a 409 just means "retry".
/// Unlike client-go it returns to candidacy after losing the lease instead of ending.
/// </summary>
public sealed class LeaderElector(
    IKubernetesClient client,
    LeaderElectionOptions options,
    ILogger<LeaderElector> logger,
    TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private string? _observedRecord;
    private long _observedAt;
    private volatile bool _isLeader;
    private volatile bool _hasObservedLease;

    public string Identity => options.Identity;

    public bool IsLeader => _isLeader;

    /// <summary>True once an acquire attempt has reached the API server (a standby that can take over is ready).</summary>
    public bool HasObservedLease => _hasObservedLease;

    /// <summary>The holder last seen on the lease.</summary>
    public string? ObservedLeader { get; private set; }

    /// <summary>
    /// Campaigns until <paramref name="cancellationToken"/> fires. While leading, <paramref name="onStartedLeading"/> runs
    /// with a token cancelled on lost leadership or shutdown; the lease keeps being renewed until it has returned, then
    /// <paramref name="onStoppedLeading"/> runs and (on shutdown) the lease is released.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> onStartedLeading, Action onStoppedLeading, CancellationToken cancellationToken)
    {
        while (await AcquireAsync(cancellationToken).ConfigureAwait(false))
        {
            logger.LogInformation("{Identity} became leader of lease {Namespace}/{Lease}", Identity, options.LeaseNamespace, options.LeaseName);
            _isLeader = true;
            using var renewStop = new CancellationTokenSource();
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var renew = RenewUntilLostAsync(renewStop.Token);
            var work = Task.Run(() => onStartedLeading(leading.Token), CancellationToken.None);

            await Task.WhenAny(renew, Task.Delay(Timeout.InfiniteTimeSpan, _time, cancellationToken)).ConfigureAwait(false);
            await leading.CancelAsync().ConfigureAwait(false);
            await RunQuietlyAsync(work).ConfigureAwait(false);
            await renewStop.CancelAsync().ConfigureAwait(false);
            var lost = await renew.ConfigureAwait(false);

            _isLeader = false;
            logger.LogInformation("{Identity} stopped leading ({Reason})", Identity, lost ? "lease lost" : "shutdown");
            onStoppedLeading();
            if (!lost)
            {
                if (options.ReleaseOnCancel)
                {
                    await ReleaseAsync().ConfigureAwait(false);
                }

                return;
            }
        }
    }

    /// <summary>One acquire-or-renew attempt; true when we hold the lease afterwards.</summary>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var lease = await client.GetAsync<V1Lease>(options.LeaseName, options.LeaseNamespace, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            _hasObservedLease = true;
            var created = new V1Lease
            {
                Metadata = new V1ObjectMeta { Name = options.LeaseName, NamespaceProperty = options.LeaseNamespace },
                Spec = new V1LeaseSpec
                {
                    HolderIdentity = Identity,
                    LeaseDurationSeconds = DurationSeconds(),
                    AcquireTime = now,
                    RenewTime = now,
                    LeaseTransitions = 0,
                },
            };
            return await WriteAsync(() => client.CreateAsync(created, cancellationToken)).ConfigureAwait(false);
        }

        var spec = lease.Spec ??= new V1LeaseSpec();
        Observe(spec);

        // Only now: readiness (a standby that reached the lease) must never be seen before the leader it names.
        _hasObservedLease = true;
        var holder = spec.HolderIdentity;
        var heldByOther = !string.IsNullOrEmpty(holder) && holder != Identity;
        if (heldByOther && !ObservedExpired(spec))
        {
            return false;
        }

        if (holder != Identity)
        {
            spec.AcquireTime = now;
            spec.LeaseTransitions = (spec.LeaseTransitions ?? 0) + 1;
        }

        spec.HolderIdentity = Identity;
        spec.LeaseDurationSeconds = DurationSeconds();
        spec.RenewTime = now;
        return await WriteAsync(() => client.ReplaceAsync(lease, cancellationToken)).ConfigureAwait(false);
    }

    private async Task<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await AttemptAsync(options.RetryPeriod, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            if (!await DelayAsync(Jittered(options.RetryPeriod), cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Renews every retry period; returns true when the renew deadline passed without a success (lost).</summary>
    private async Task<bool> RenewUntilLostAsync(CancellationToken cancellationToken)
    {
        var lastRenew = _time.GetTimestamp();
        while (await DelayAsync(options.RetryPeriod, cancellationToken).ConfigureAwait(false))
        {
            var left = options.RenewDeadline - _time.GetElapsedTime(lastRenew);
            if (left > TimeSpan.Zero && await AttemptAsync(left, cancellationToken).ConfigureAwait(false))
            {
                lastRenew = _time.GetTimestamp();
                continue;
            }

            if (_time.GetElapsedTime(lastRenew) >= options.RenewDeadline)
            {
                logger.LogWarning("{Identity} could not renew lease {Lease} within {Deadline}", Identity, options.LeaseName, options.RenewDeadline);
                return true;
            }
        }

        return false;
    }

    private async Task<bool> AttemptAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            return await TryAcquireOrRenewAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "{Identity}: lease {Lease} attempt failed", Identity, options.LeaseName);
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Clears the holder and shortens the duration so a standby takes over on its next attempt.</summary>
    private async Task ReleaseAsync()
    {
        using var bounded = new CancellationTokenSource(options.RenewDeadline);
        try
        {
            var lease = await client.GetAsync<V1Lease>(options.LeaseName, options.LeaseNamespace, bounded.Token).ConfigureAwait(false);
            if (lease?.Spec is not { } spec || spec.HolderIdentity != Identity)
            {
                return;
            }

            var now = _time.GetUtcNow().UtcDateTime;
            spec.HolderIdentity = null;
            spec.LeaseDurationSeconds = 1;
            spec.AcquireTime = now;
            spec.RenewTime = now;
            await client.ReplaceAsync(lease, bounded.Token).ConfigureAwait(false);
            logger.LogInformation("{Identity} released lease {Lease}", Identity, options.LeaseName);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "{Identity} could not release lease {Lease}; others take over after it expires", Identity, options.LeaseName);
        }
    }

    private async Task<bool> WriteAsync(Func<Task<V1Lease>> write)
    {
        try
        {
            var written = await write().ConfigureAwait(false);
            Observe(written.Spec ?? new V1LeaseSpec());
            return true;
        }
        catch (KubernetesApiException ex) when (ex.IsConflict)
        {
            // Someone else wrote the lease since we read it (or created it first): try again next period.
            return false;
        }
    }

    private void Observe(V1LeaseSpec spec)
    {
        ObservedLeader = spec.HolderIdentity;
        var record = $"{spec.HolderIdentity}|{spec.RenewTime:O}|{spec.AcquireTime:O}|{spec.LeaseTransitions}|{spec.LeaseDurationSeconds}";
        if (record != _observedRecord)
        {
            _observedRecord = record;
            _observedAt = _time.GetTimestamp();
        }
    }

    private bool ObservedExpired(V1LeaseSpec spec)
    {
        var duration = spec.LeaseDurationSeconds is { } seconds && seconds > 0 ? TimeSpan.FromSeconds(seconds) : options.LeaseDuration;
        return _time.GetElapsedTime(_observedAt) >= duration;
    }

    private int DurationSeconds() => (int)Math.Ceiling(options.LeaseDuration.TotalSeconds);

    private static TimeSpan Jittered(TimeSpan period) => period * (1 + (0.2 * Random.Shared.NextDouble()));

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task RunQuietlyAsync(Task work)
    {
        try
        {
            await work.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Leader work of {Identity} failed", Identity);
        }
    }
}
