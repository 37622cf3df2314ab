using Imprint.Operator.Apis;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Controllers.Phases;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Manifests;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Runtime.Events;
using Imprint.Operator.Runtime.Informers;
using Imprint.Operator.Runtime.Metrics;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>
/// Reconciles a GoldenImage through its phases — ResolveParent, ValidateSource, ReadPublishedChecksum, CopyParent (a derived golden's parent, through a VmClone), MeasureSource, EnsureGoldenPvc, Import, Inspect, Seal, RecordFingerprint, Snapshot —
/// each an agent Job or an API object; status says where it stands. After the phases, spec.publish.dataSource is kept
/// (<see cref="Publishing.DataSourcePublisher"/>). Ready images keep their snapshot in line with spec.snapshot and
/// their revisions (<see cref="Revisions.GoldenImageUpdater"/>: updates on spec.updatePolicy, old revisions removed);
/// Failed images stay failed (the source is immutable: a new image is a new GoldenImage).
/// </summary>
[EntityRbac(typeof(V1Alpha1GoldenImage), Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Patch | RbacVerb.Update)]
[EntityRbac(typeof(V1Alpha1GoldenImage), Subresource = "status", Verbs = RbacVerb.Get | RbacVerb.Update | RbacVerb.Patch)]
[EntityRbac(typeof(V1Alpha1GoldenImage), Subresource = "finalizers", Verbs = RbacVerb.Update)]
[GenericRbac(Groups = [""], Resources = ["persistentvolumeclaims"], Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Create | RbacVerb.Delete | RbacVerb.Patch)]
[GenericRbac(Groups = ["batch"], Resources = ["jobs"], Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Create | RbacVerb.Delete)]
[GenericRbac(Groups = [""], Resources = ["pods"], Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch)]
[GenericRbac(Groups = [""], Resources = ["pods/log"], Verbs = RbacVerb.Get)]
[GenericRbac(Groups = [""], Resources = ["serviceaccounts"], Verbs = RbacVerb.Get | RbacVerb.Create)]
[GenericRbac(Groups = [""], Resources = ["configmaps", "secrets"], Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Create | RbacVerb.Delete)]
[GenericRbac(Groups = [""], Resources = ["nodes"], Verbs = RbacVerb.List)]
[GenericRbac(Groups = ["storage.k8s.io"], Resources = ["storageclasses"], Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch)]
[GenericRbac(Groups = ["snapshot.storage.k8s.io"], Resources = ["volumesnapshots"], Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Create | RbacVerb.Delete)]
[GenericRbac(Groups = ["snapshot.storage.k8s.io"], Resources = ["volumesnapshotclasses"], Verbs = RbacVerb.Get)]
public sealed class GoldenImageController(
    IKubernetesClient client,
    IEventRecorder events,
    ImprintOptions options,
    OperatorMetrics metrics,
    Storage.StorageCapabilityRegistry storageCapabilities,
    TimeProvider time,
    SharedInformerFactory informers,
    PlanProgressMemory planProgress,
    ILogger<GoldenImageController> logger) : IEntityController<V1Alpha1GoldenImage>
{
    /// <summary>Degraded reason of a Ready image whose storage cannot take the snapshot spec.snapshot asks for.</summary>
    public const string SnapshotUnsupported = "SnapshotUnsupported";

    private static readonly TimeSpan SnapshotRecheck = TimeSpan.FromMinutes(5);

    internal static readonly IReadOnlyList<IPhase<GoldenImageContext, GoldenImagePhase>> Build =
        [new ResolveParentPhase(), new ValidateSourcePhase(), new ReadPublishedChecksumPhase(), new CopyParentPhase(), new MeasureSourcePhase(), new EnsureGoldenPvcPhase(), new ImportPhase(), new InspectPhase(), new SealPhase(), new RecordDigestPhase(), new RecordFingerprintPhase(), new SnapshotPhase()];

    private static readonly IReadOnlyList<IPhase<GoldenImageContext, GoldenImagePhase>> AfterReady = [new SnapshotPhase()];

    public async Task<ReconcileResult> ReconcileAsync(V1Alpha1GoldenImage entity, CancellationToken cancellationToken)
    {
        if (entity.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Success();
        }

        var before = entity.Status;
        var status = before is null ? new V1Alpha1GoldenImage.GoldenImageStatus() : StatusWriter.Copy(before, ImprintJsonContext.Default.GoldenImageStatus);
        var now = time.GetUtcNow();

        // Images inspected before status.size existed show it too (kubectl get gi's SIZE column).
        status.Size ??= status.VirtualSize is { } virtualSize ? Storage.DiskSizing.Format(virtualSize) : null;
        if (status.Phase == GoldenImagePhase.Failed)
        {
            PhaseRunner.ObserveFinal(status, entity.Metadata.Generation);
            return await WriteAsync(entity, before, status, ReconcileResult.Success(), cancellationToken).ConfigureAwait(false);
        }

        if (status.NextRetryTime is { } retryAt && retryAt > now)
        {
            return ReconcileResult.Requeue(retryAt - now);
        }

        status.NextRetryTime = null;
        var reader = new CachedReader(client, informers);
        var steps = new AgentStepRunner(client, options.Agent, reader);

        // One pass's context: the image's own build (revision null), or a later revision's into its scratch status.
        GoldenImageContext ContextFor(GoldenImageRevision? revision, V1Alpha1GoldenImage.GoldenImageStatus into)
        {
            GoldenImageContext? made = null;
            made = new GoldenImageContext
            {
                Entity = entity,
                Status = into,
                Client = client,
                Reader = reader,
                Steps = steps,
                DiskSteps = new DiskStepRunner(steps, reader, entity, into.RetryCount ?? 0, options.Agent.OneJobPerDisk,
                    step => GoldenImageDiskPlan.After(made!, step), () => GoldenImageDiskPlan.Identity(made!),
                    planProgress, Revisions.GoldenImageRevisions.JobOwner(entity.Metadata.Name!, revision)),
                Events = events,
                Options = options,
                Now = now,
                StorageCapabilities = storageCapabilities,
                Revision = revision,
            };
            return made;
        }

        var context = ContextFor(null, status);
        var wasReady = status.Phase == GoldenImagePhase.Ready;
        var pass = await PhaseRunner.RunAsync(wasReady ? AfterReady : Build, context, entity, status, options.Agent, events, now, cancellationToken, context.DiskSteps)
            .ConfigureAwait(false);
        status.Phase = pass.Failed ? GoldenImagePhase.Failed : pass.StoppedIn ?? GoldenImagePhase.Ready;
        if (wasReady && status.Phase != GoldenImagePhase.Ready)
        {
            // The disk is done and clones may use it: a snapshot added later that cannot be made degrades the image
            // (Degraded=True carries why) but does not take it out of Ready.
            status.Phase = GoldenImagePhase.Ready;
            status.CompletionTime ??= now;
            status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Ready, ConditionStatus.True, "Ready", $"golden disk ready; {status.Message}", entity.Metadata.Generation, now);
            if (pass.Failed)
            {
                status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Degraded, ConditionStatus.True, status.Reason ?? "SnapshotFailed", status.Message ?? "", entity.Metadata.Generation, now);
                Conditions.Remove(status.Conditions, ConditionTypes.Stalled);
            }
        }

        if (status.Phase == GoldenImagePhase.Ready && context.SnapshotUnsupported is { } why)
        {
            // Ready without the snapshot spec.snapshot asks for: clones copy instead. Warn once, not on every pass.
            if (Conditions.Find(before?.Conditions, ConditionTypes.Degraded) is not { Status: ConditionStatus.True, Reason: SnapshotUnsupported })
            {
                events.Record(entity, EventType.Warning, SnapshotUnsupported, $"{why}; the golden disk is ready without a snapshot and clones copy it");
            }

            status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Degraded, ConditionStatus.True, SnapshotUnsupported, why, entity.Metadata.Generation, now);
        }

        // Revisions: r1 recorded, updates checked on schedule and built, old revisions collected (Degraded on a failed update).
        TimeSpan? revisionsAgain = null;
        if (status.Phase == GoldenImagePhase.Ready)
        {
            revisionsAgain = await new Revisions.GoldenImageUpdater(client, reader, events, new Revisions.SourceProbe(Revisions.SourceProbe.SharedClient))
                .ReconcileAsync(entity, status, (revision, into) => ContextFor(revision, into), now, cancellationToken).ConfigureAwait(false);
            if (entity.Spec.UpdatePolicy is not null || status.Revisions is { Count: > 1 })
            {
                // Clones finishing and the clock are not events: look again at least every recheck interval.
                var recheck = TimeSpan.FromSeconds(options.Clone.PublishRecheckSeconds);
                revisionsAgain = revisionsAgain is { } soon && soon < recheck ? soon : recheck;
            }
        }

        // A copy found the sealed disk changed: Degraded stays until the image is replaced (its passes would clear it).
        GoldenImageIntegrity.ApplyCondition(status, entity.Metadata.Generation, now);
        status.Progress = status.Phase == GoldenImagePhase.Ready ? "100%" : context.Progress;
        var from = PhaseTransitions.ReportPassed(entity, before?.Phase, pass.PassedInPlan, status.Phase.Value,
            phase => phase == GoldenImagePhase.Importing ? PhaseNote(phase, context) : $"{phase}: step finished in the plan Job", events, metrics, logger);
        PhaseTransitions.Report(entity, from, status.Phase.Value, status.Phase == GoldenImagePhase.Failed, status.Reason,
            () => PhaseNote(status.Phase.Value, context), events, metrics, logger);

        if (status.Phase == GoldenImagePhase.Ready && !wasReady)
        {
            // The steps' Jobs, pods and input objects have served their purpose; their results are in status now.
            await context.Steps.CleanupAsync(context.Namespace, V1Alpha1GoldenImage.KindName, context.Name, cancellationToken).ConfigureAwait(false);
            await CopyParentPhase.CleanupAsync(context, cancellationToken).ConfigureAwait(false);
            metrics.GoldenImageReady(status.StartTime is { } start ? now - start : TimeSpan.Zero);
        }

        // Storage that could not snapshot is looked at again now and then: a VolumeSnapshotClass made later is used.
        var next = pass.RequeueAfter is { } after ? ReconcileResult.Requeue(after)
            : context.SnapshotUnsupported is not null ? ReconcileResult.Requeue(SnapshotRecheck)
            : ReconcileResult.Success();
        var publishAgain = await new Publishing.DataSourcePublisher(client, reader, events)
            .ReconcileAsync(entity, status, TimeSpan.FromSeconds(options.Clone.PublishRecheckSeconds), now, cancellationToken).ConfigureAwait(false);
        if (publishAgain is { } again && (next.RequeueAfter is null || again < next.RequeueAfter))
        {
            next = ReconcileResult.Requeue(again);
        }

        if (revisionsAgain is { } revisit && (next.RequeueAfter is null || revisit < next.RequeueAfter))
        {
            next = ReconcileResult.Requeue(revisit);
        }

        return await WriteAsync(entity, before, status, next, cancellationToken).ConfigureAwait(false);
    }

    private Task<ReconcileResult> WriteAsync(V1Alpha1GoldenImage entity, V1Alpha1GoldenImage.GoldenImageStatus? before, V1Alpha1GoldenImage.GoldenImageStatus status, ReconcileResult next, CancellationToken ct) =>
        StatusWriter.WriteIfChangedAsync(client, entity, before, status, ImprintJsonContext.Default.GoldenImageStatus, (e, s) => e.Status = s, next, ct);

    public Task<ReconcileResult> DeletedAsync(V1Alpha1GoldenImage entity, CancellationToken cancellationToken)
    {
        planProgress.Forget(entity);
        return Task.FromResult(ReconcileResult.Success());
    }

    private static string PhaseNote(GoldenImagePhase phase, GoldenImageContext context) => phase switch
    {
        GoldenImagePhase.Importing => context.Entity.Spec.Source switch
        {
            { Http: { } http } => $"importing {http.Url} into PVC {context.PvcName}",
            { GoldenImage: { } parent } => $"building on GoldenImage {DerivedClone.ParentNamespace(context.Entity)}/{parent.Name} into PVC {context.PvcName}",
            _ => $"copying PVC {context.SourcePvcName ?? context.Entity.Spec.Source.Pvc?.Name} into PVC {context.PvcName}",
        },
        GoldenImagePhase.Ready => $"golden disk ready in PVC {context.PvcName}",
        _ => $"{phase}: {context.Status.Message}",
    };
}
