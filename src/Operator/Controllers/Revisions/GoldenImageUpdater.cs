using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.GoldenImages;
using Imprint.Operator.Controllers.Phases;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Controllers.VmClones;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Events;
using Imprint.Operator.Runtime.Informers;
using k8s.Models;

namespace Imprint.Operator.Controllers.Revisions;

/// <summary>
/// The revisions of a Ready GoldenImage: on spec.updatePolicy.schedule a cheap look at the http source
/// (<see cref="SourceProbe"/>); a change starts the next revision, built by the image's own phases on its own claim
/// (<see cref="GoldenImageRevisions"/>), and a sealed one becomes current in one status write. A failed check or build
/// leaves the current revision serving, with Degraded (reason <see cref="UpdateFailed"/>), a Warning Event and
/// status.updateError until a later check succeeds. Revisions beyond keepRevisions are removed, never the current one
/// and never one a VmClone in progress copies from or pins.
/// </summary>
public sealed class GoldenImageUpdater(IKubernetesClient client, CachedReader reader, IEventRecorder events, SourceProbe probe)
{
    /// <summary>Degraded reason (and Warning Event reason) of a failed update check or revision build.</summary>
    public const string UpdateFailed = "UpdateFailed";

    /// <summary>Progressing reason while a new revision is built.</summary>
    public const string BuildingRevision = "BuildingRevision";

    /// <summary>The phases of a revision build: the image's own, on the revision's claim, less the snapshot (only the
    /// current revision has one) and the measuring of a pvc source (revisions come from http sources and parents).</summary>
    private static readonly IReadOnlyList<IPhase<GoldenImageContext, GoldenImagePhase>> Build =
        [.. GoldenImageController.Build.Where(p => p is not (SnapshotPhase or MeasureSourcePhase))];

    /// <summary>
    /// Runs after the image's own pass found it Ready. <paramref name="contextFor"/> makes a pass context that builds
    /// the given revision into the given scratch status. Returns when to look again (null: only on the next event).
    /// </summary>
    public async Task<TimeSpan?> ReconcileAsync(
        V1Alpha1GoldenImage golden,
        V1Alpha1GoldenImage.GoldenImageStatus status,
        Func<GoldenImageRevision, V1Alpha1GoldenImage.GoldenImageStatus, GoldenImageContext> contextFor,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(golden);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(contextFor);
        GoldenImageRevisions.RecordFirst(golden, status, now);
        TimeSpan? next = null;
        if (golden.Spec.UpdatePolicy is { } policy && golden.Spec.Source.Http is { } http)
        {
            next = GoldenImageRevisions.Building(status) is { } building
                ? await BuildAsync(golden, status, building, contextFor, now, cancellationToken).ConfigureAwait(false)
                : await CheckOnScheduleAsync(golden, status, policy, http, contextFor, now, cancellationToken).ConfigureAwait(false);
        }
        else if (golden.Spec.UpdatePolicy?.FollowParent == true && golden.Spec.Source.GoldenImage is { Revision: null } parent)
        {
            status.NextUpdateCheck = null;
            next = GoldenImageRevisions.Building(status) is { } building
                ? await BuildAsync(golden, status, building, contextFor, now, cancellationToken).ConfigureAwait(false)
                : await FollowParentAsync(golden, status, parent, contextFor, now, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            status.NextUpdateCheck = null;
        }

        await CollectAsync(golden, status, cancellationToken).ConfigureAwait(false);
        if (status.UpdateError is { } error)
        {
            status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Degraded, ConditionStatus.True, UpdateFailed, error, golden.Metadata.Generation, now);
        }

        return next;
    }

    private async Task<TimeSpan?> CheckOnScheduleAsync(
        V1Alpha1GoldenImage golden, V1Alpha1GoldenImage.GoldenImageStatus status, UpdatePolicy policy, HttpSource http,
        Func<GoldenImageRevision, V1Alpha1GoldenImage.GoldenImageStatus, GoldenImageContext> contextFor, DateTimeOffset now, CancellationToken ct)
    {
        CronSchedule schedule;
        try
        {
            schedule = CronSchedule.Parse(policy.Schedule ?? string.Empty);
        }
        catch (FormatException e)
        {
            status.NextUpdateCheck = null;
            Fail(golden, status, $"spec.updatePolicy.schedule: {e.Message}", now);
            return null;
        }

        // From the last check, or from when the first build finished: a restart or an edited schedule needs no state of its own.
        var due = schedule.Next(status.LastUpdateCheck ?? status.CompletionTime ?? now);
        status.NextUpdateCheck = due;
        if (now < due)
        {
            return due - now;
        }

        status.LastUpdateCheck = now;
        status.NextUpdateCheck = schedule.Next(now);
        var current = GoldenImageRevisions.Current(status);
        SourceCheck check;
        try
        {
            var headers = await HeadersAsync(golden, http, ct).ConfigureAwait(false);
            check = await probe.CheckAsync(http, policy, current, headers, ct).ConfigureAwait(false);
        }
        catch (SourceProbeException e)
        {
            Fail(golden, status, $"update check: {e.Message}", now);
            return status.NextUpdateCheck - now;
        }

        status.UpdateError = null;
        if (!check.Changed)
        {
            if (current is not null && current.SourceVersion is null && check.Version is not null)
            {
                current.SourceVersion = check.Version;
            }

            return status.NextUpdateCheck - now;
        }

        var number = (status.Revisions ?? []).Select(r => GoldenImageRevisions.Number(r.Name)).DefaultIfEmpty(1).Max() + 1;
        var revision = new GoldenImageRevision
        {
            Name = GoldenImageRevisions.Name(number),
            Claim = GoldenImageRevisions.ClaimName(golden.Metadata.Name!, number),
            SourceChecksum = check.Checksum,
            SourceVersion = check.Version,
            Created = now,
            Ready = false,
        };

        // A failed revision's entry has told its story; the new one replaces it (its number stays used: numbers only grow).
        status.Revisions = [.. (status.Revisions ?? []).Where(r => r.Ready == true), revision];
        var what = check.Checksum is { } sum ? $"its checksum file now says {sum}" : $"the server now says {check.Version}";
        events.Record(golden, EventType.Normal, "NewRevision", $"the source changed ({what}): building revision {revision.Name} on PVC {revision.Claim}; {status.CurrentRevision} keeps serving");
        return await BuildAsync(golden, status, revision, contextFor, now, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// updatePolicy.followParent: the parent's current revision (or digest) is no longer the one status.parent records,
    /// so the next revision is built from it like any revision. A build from that same parent version that failed is not
    /// tried again until the parent moves on (its entry's sourceVersion names the parent version).
    /// </summary>
    private async Task<TimeSpan?> FollowParentAsync(
        V1Alpha1GoldenImage golden, V1Alpha1GoldenImage.GoldenImageStatus status, GoldenImageReference reference,
        Func<GoldenImageRevision, V1Alpha1GoldenImage.GoldenImageStatus, GoldenImageContext> contextFor, DateTimeOffset now, CancellationToken ct)
    {
        var parentNamespace = reference.Namespace ?? golden.Metadata.NamespaceProperty!;
        // From the informer cache, as ResolveParentPhase reads it: a Ready child rechecks its parent on every pass.
        var parent = await reader.GetAsync<V1Alpha1GoldenImage>(reference.Name, parentNamespace, ct).ConfigureAwait(false);
        if (parent is null || status.Parent is not { Count: > 0 } chain || !ParentRevisionChoice.Moved(parent, chain[0]))
        {
            return null;
        }

        var version = $"GoldenImage {parentNamespace}/{reference.Name} {parent.Status!.CurrentRevision} {parent.Status.Digest}";
        if (status.Revisions?.Any(r => r.Ready != true && r.SourceVersion == version) == true)
        {
            return null;
        }

        var number = (status.Revisions ?? []).Select(r => GoldenImageRevisions.Number(r.Name)).DefaultIfEmpty(1).Max() + 1;
        var revision = new GoldenImageRevision
        {
            Name = GoldenImageRevisions.Name(number),
            Claim = GoldenImageRevisions.ClaimName(golden.Metadata.Name!, number),
            SourceVersion = version,
            Created = now,
            Ready = false,
        };
        status.Revisions = [.. (status.Revisions ?? []).Where(r => r.Ready == true), revision];
        events.Record(golden, EventType.Normal, "ParentUpdated",
            $"parent GoldenImage {parentNamespace}/{reference.Name} is now at {parent.Status.CurrentRevision ?? parent.Status.Digest} (built from {chain[0].Revision ?? chain[0].Digest}): building revision {revision.Name} on PVC {revision.Claim}; {status.CurrentRevision} keeps serving");
        return await BuildAsync(golden, status, revision, contextFor, now, ct).ConfigureAwait(false);
    }

    private async Task<TimeSpan?> BuildAsync(
        V1Alpha1GoldenImage golden, V1Alpha1GoldenImage.GoldenImageStatus status, GoldenImageRevision revision,
        Func<GoldenImageRevision, V1Alpha1GoldenImage.GoldenImageStatus, GoldenImageContext> contextFor, DateTimeOffset now, CancellationToken ct)
    {
        // The build's own status: the phases fill it as for the first build; only a sealed result reaches the image's.
        var scratch = new V1Alpha1GoldenImage.GoldenImageStatus
        {
            Pvc = new NamespacedObjectReference { Name = revision.Claim, Namespace = golden.Metadata.NamespaceProperty },
        };
        var context = contextFor(revision, scratch);
        foreach (var phase in Build)
        {
            var outcome = await phase.RunAsync(context, ct).ConfigureAwait(false);
            switch (outcome.Kind)
            {
                case PhaseOutcomeKind.Done:
                    continue;
                case PhaseOutcomeKind.Wait:
                    var progress = context.Progress is { } p ? $" {p}" : "";
                    status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Progressing, ConditionStatus.True, BuildingRevision,
                        $"revision {revision.Name}: {phase.Phase}{progress}: {outcome.Message}", golden.Metadata.Generation, now);
                    return outcome.RequeueAfter ?? TimeSpan.FromSeconds(context.Options.Agent.ProgressIntervalSeconds);
                default:
                    revision.Message = Truncate($"{phase.Phase}: {outcome.Message}");
                    Fail(golden, status, $"revision {revision.Name} failed in {revision.Message}; {status.CurrentRevision} keeps serving", now);
                    status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Progressing, ConditionStatus.False, UpdateFailed, revision.Message, golden.Metadata.Generation, now);
                    await client.DeleteAsync<V1PersistentVolumeClaim>(revision.Claim, golden.Metadata.NamespaceProperty, PropagationPolicy.Background, ct).ConfigureAwait(false);
                    await context.Steps.CleanupAsync(context.Namespace, V1Alpha1GoldenImage.KindName, context.Name, ct).ConfigureAwait(false);
                    await CopyParentPhase.CleanupAsync(context, ct).ConfigureAwait(false);
                    return null;
            }
        }

        // Sealed: the revision records what clones pinned to it need, and becomes current in this one status write.
        revision.Ready = true;
        revision.Digest = scratch.Digest;
        revision.Fingerprint = scratch.Fingerprint;
        revision.VirtualSize = scratch.VirtualSize;
        revision.SourceChecksum ??= context.ImportedChecksum;
        var previous = status.CurrentRevision;
        status.Pvc = scratch.Pvc;
        status.Digest = scratch.Digest;
        status.DigestMismatch = null;
        status.Fingerprint = scratch.Fingerprint;
        status.VirtualSize = scratch.VirtualSize;
        status.Size = scratch.Size;
        status.MinimumSize = scratch.MinimumSize;
        status.Inspection = scratch.Inspection;
        status.Engine = scratch.Engine;
        status.SealedOperations = scratch.SealedOperations;
        status.Parent = scratch.Parent ?? status.Parent;
        status.CurrentRevision = revision.Name;
        status.UpdateError = null;
        status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Progressing, ConditionStatus.False, "Complete", $"revision {revision.Name} is current", golden.Metadata.Generation, now);
        status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Degraded, ConditionStatus.False, "Ready", "", golden.Metadata.Generation, now);
        events.Record(golden, EventType.Normal, "RevisionReady",
            $"revision {revision.Name} is sealed on PVC {revision.Claim} ({revision.Digest}) and is now current (was {previous}); new VmClones copy it");
        await context.Steps.CleanupAsync(context.Namespace, V1Alpha1GoldenImage.KindName, context.Name, ct).ConfigureAwait(false);
        await CopyParentPhase.CleanupAsync(context, ct).ConfigureAwait(false);
        return TimeSpan.FromSeconds(1);
    }

    /// <summary>Removes the oldest ready revisions beyond keepRevisions that are neither current nor in use.</summary>
    private async Task CollectAsync(V1Alpha1GoldenImage golden, V1Alpha1GoldenImage.GoldenImageStatus status, CancellationToken ct)
    {
        var keep = golden.Spec.UpdatePolicy?.KeepRevisions ?? 1;
        var ready = (status.Revisions ?? []).Where(r => r.Ready == true).ToList();
        var candidates = ready.Where(r => r.Name != status.CurrentRevision).Take(Math.Max(0, ready.Count - keep)).ToList();
        if (candidates.Count == 0)
        {
            return;
        }

        var (used, unknown) = await RevisionsInUseAsync(golden, ct).ConfigureAwait(false);
        foreach (var old in candidates)
        {
            // A clone that has not said yet which revision it copies may be copying any of them.
            if (unknown || used.Contains(old.Name))
            {
                continue;
            }

            await client.DeleteAsync<V1PersistentVolumeClaim>(old.Claim, golden.Metadata.NamespaceProperty, PropagationPolicy.Background, ct).ConfigureAwait(false);
            status.Revisions = [.. status.Revisions!.Where(r => r.Name != old.Name)];
            events.Record(golden, EventType.Normal, "RevisionRemoved",
                $"revision {old.Name} (PVC {old.Claim}) removed: more than spec.updatePolicy.keepRevisions ({keep}) and no VmClone in progress uses it");
        }
    }

    /// <summary>
    /// The revisions VmClones in progress copy from or pin (as <see cref="GoldenImageInUseFinalizer"/> counts users:
    /// same image, shared with the clone's namespace, neither Ready nor Failed); unknown when one has not chosen yet.
    /// </summary>
    private async Task<(HashSet<string> Used, bool Unknown)> RevisionsInUseAsync(V1Alpha1GoldenImage golden, CancellationToken ct)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var unknown = false;
        string? next = null;
        do
        {
            var page = await client.ListAsync<V1Alpha1VmClone>(null, new ListOptions { Limit = 500, Continue = next }, ct).ConfigureAwait(false);
            foreach (var clone in page.Items.Where(c => c.Metadata.DeletionTimestamp is null
                && c.Spec.GoldenImage.Name == golden.Metadata.Name
                && (c.Spec.GoldenImage.Namespace ?? c.Metadata.NamespaceProperty) == golden.Metadata.NamespaceProperty
                && WaitForGoldenImagePhase.Shares(golden, c.Metadata.NamespaceProperty!)
                && c.Status?.Phase is not (VmClonePhase.Ready or VmClonePhase.Failed)))
            {
                if ((clone.Spec.GoldenImage.Revision ?? clone.Status?.GoldenImageRevision) is { } revision)
                {
                    used.Add(revision);
                }
                else
                {
                    unknown = true;
                }
            }

            next = page.Metadata.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(next));

        return (used, unknown);
    }

    private async Task<string?> HeadersAsync(V1Alpha1GoldenImage golden, HttpSource http, CancellationToken ct)
    {
        if (http.SecretRef is not { } secretRef)
        {
            return null;
        }

        var secret = await client.GetAsync<V1Secret>(secretRef.Name, golden.Metadata.NamespaceProperty, ct).ConfigureAwait(false)
            ?? throw new SourceProbeException($"Secret {golden.Metadata.NamespaceProperty}/{secretRef.Name} named by spec.source.http.secretRef does not exist");
        var (headers, problem) = HttpHeaderSecret.Render(secret);
        return problem is null ? headers : throw new SourceProbeException($"Secret {secretRef.Name}: {problem}");
    }

    /// <summary>Records a failed check or build: status.updateError, Degraded (set by the caller each pass) and one Warning Event.</summary>
    private void Fail(V1Alpha1GoldenImage golden, V1Alpha1GoldenImage.GoldenImageStatus status, string message, DateTimeOffset now)
    {
        var text = Truncate(message);
        if (status.UpdateError != text)
        {
            events.Record(golden, EventType.Warning, UpdateFailed, $"{text}; the next scheduled check tries again");
        }

        status.UpdateError = text;
        status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Degraded, ConditionStatus.True, UpdateFailed, text, golden.Metadata.Generation, now);
    }

    private static string Truncate(string text) => text.Length <= 1000 ? text : text[..1000] + "…";
}
