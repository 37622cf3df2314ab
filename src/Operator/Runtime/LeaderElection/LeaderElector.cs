using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;
using LibraryElector = k8s.LeaderElection.LeaderElector;

namespace Imprint.Operator.Runtime.LeaderElection;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease through the client library's <see cref="LibraryElector"/> and
/// <see cref="LeaseLock"/> (acquire when the lease is free or expired, renew every retry period, give up after the
/// renew deadline), with what it lacks: leadership (<see cref="IsLeader"/>) only between started and stopped
/// leading, readiness of a standby once it has reached the lease, the leader's work stopped and awaited while the
/// lease is still renewed, a release of the lease on graceful shutdown, and a return to candidacy after a loss.
/// </summary>
public sealed partial class LeaderElector(IKubernetes api, LeaderElectionOptions options, ILogger<LeaderElector> logger)
{
    private volatile bool _isLeader;
    private volatile bool _hasObservedLease;
    private volatile string? _observedLeader;

    public string Identity => options.Identity;

    /// <summary>True from the library's started-leading until its stopped-leading (a lost renewal clears it at once).</summary>
    public bool IsLeader => _isLeader;

    /// <summary>True once an acquire attempt has read the lease (a standby that can take over is ready).</summary>
    public bool HasObservedLease => _hasObservedLease;

    /// <summary>The holder last seen on the lease.</summary>
    public string? ObservedLeader => _observedLeader;

    /// <summary>
    /// Campaigns until <paramref name="cancellationToken"/> fires. While leading, <paramref name="onStartedLeading"/> runs
    /// with a token cancelled on lost leadership or shutdown; on shutdown the lease keeps being renewed until it has
    /// returned, then <paramref name="onStoppedLeading"/> runs and the lease is released.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> onStartedLeading, Action onStoppedLeading, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onStartedLeading);
        ArgumentNullException.ThrowIfNull(onStoppedLeading);
        var leaseLock = new LeaseLock(api, options.LeaseNamespace, options.LeaseName, Identity);
        var config = new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        };
        while (!cancellationToken.IsCancellationRequested)
        {
            var lost = await TermAsync(config, onStartedLeading, onStoppedLeading, cancellationToken).ConfigureAwait(false);
            if (!lost)
            {
                return;
            }
        }
    }

    /// <summary>One term: campaign, lead, stop. True when leadership was lost (campaign again), false on shutdown.</summary>
    private async Task<bool> TermAsync(LeaderElectionConfig config, Func<CancellationToken, Task> onStartedLeading, Action onStoppedLeading, CancellationToken cancellationToken)
    {
        using var elector = new LibraryElector(config);
        using var renewing = new CancellationTokenSource();
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task? work = null;
        elector.OnNewLeader += holder =>
        {
            _observedLeader = holder;
            _hasObservedLease = true;
        };
        elector.OnStartedLeading += () =>
        {
            _observedLeader = Identity;
            _hasObservedLease = true;
            _isLeader = true;
            LogStarted(logger, Identity, options.LeaseNamespace, options.LeaseName);
            work = Task.Run(() => onStartedLeading(leading.Token), CancellationToken.None);
        };
        elector.OnStoppedLeading += () =>
        {
            _isLeader = false;
            leading.Cancel();
        };
        elector.OnError += e => LogAttemptFailed(logger, e, Identity, options.LeaseName);

        var term = elector.RunUntilLeadershipLostAsync(renewing.Token);
        await Task.WhenAny(term, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
        var shutdown = cancellationToken.IsCancellationRequested;
        if (shutdown && !term.IsCompleted)
        {
            // The work stops first (its token is linked to shutdown) while the library still renews the lease, so no
            // standby starts before our controllers have drained.
            if (work is not null)
            {
                await RunQuietlyAsync(work).ConfigureAwait(false);
            }

            await renewing.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await term.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutdown while campaigning or renewing.
        }

        _isLeader = false;
        if (work is null)
        {
            return !shutdown;
        }

        await leading.CancelAsync().ConfigureAwait(false);
        await RunQuietlyAsync(work).ConfigureAwait(false);
        LogStopped(logger, Identity, shutdown ? "shutdown" : "lease lost");
        onStoppedLeading();
        if (shutdown && options.ReleaseOnCancel)
        {
            await ReleaseAsync().ConfigureAwait(false);
        }

        return !shutdown;
    }

    /// <summary>
    /// Clears the holder (to "", as client-go does: the library treats a missing holder as "create the lease") and
    /// shortens the duration, so a standby takes over on its next attempt instead of after a whole lease duration.
    /// </summary>
    private async Task ReleaseAsync()
    {
        using var bounded = new CancellationTokenSource(options.RenewDeadline);
        try
        {
            var lease = await api.CoordinationV1.ReadNamespacedLeaseAsync(options.LeaseName, options.LeaseNamespace, cancellationToken: bounded.Token).ConfigureAwait(false);
            if (lease.Spec is not { } spec || spec.HolderIdentity != Identity)
            {
                return;
            }

            var now = DateTime.UtcNow;
            spec.HolderIdentity = string.Empty;
            spec.LeaseDurationSeconds = 1;
            spec.AcquireTime = now;
            spec.RenewTime = now;
            await api.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, options.LeaseName, options.LeaseNamespace, cancellationToken: bounded.Token).ConfigureAwait(false);
            LogReleased(logger, Identity, options.LeaseName);
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            LogReleaseFailed(logger, ex, Identity, options.LeaseName);
        }
    }

    private async Task RunQuietlyAsync(Task work)
    {
        try
        {
            await work.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The leading token: the expected way for the work to end.
        }
        catch (Exception ex)
        {
            LogWorkFailed(logger, ex, Identity);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} became leader of lease {Namespace}/{Lease}")]
    private static partial void LogStarted(ILogger logger, string identity, string @namespace, string lease);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} stopped leading ({Reason})")]
    private static partial void LogStopped(ILogger logger, string identity, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity}: lease {Lease} attempt failed")]
    private static partial void LogAttemptFailed(ILogger logger, Exception exception, string identity, string lease);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} released lease {Lease}")]
    private static partial void LogReleased(ILogger logger, string identity, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity} could not release lease {Lease}; others take over after it expires")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string identity, string lease);

    [LoggerMessage(Level = LogLevel.Error, Message = "Leader work of {Identity} failed")]
    private static partial void LogWorkFailed(ILogger logger, Exception exception, string identity);
}
