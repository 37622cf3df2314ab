using Imprint.Operator.Apis;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Controllers.Phases;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Controllers.Storage;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Manifests;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Runtime.Events;
using Imprint.Operator.Runtime.Informers;
using Imprint.Operator.Runtime.Metrics;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Controllers.VmClones;

/// <summary>
/// Reconciles a VmClone through ValidateClone, WaitForGoldenImage, ProvisionTarget, VerifyTarget, CopyDisk, Customize and Resize. A
/// clone reaches Ready only when every step succeeded; a failed step is retried (from the golden disk) up to
/// Agent.MaxRetries times with backoff, then the clone is Failed. Ready and Failed are final: the spec's disk-shaping
/// fields are immutable, so a different disk is a new VmClone.
/// </summary>
[EntityRbac(typeof(V1Alpha1VmClone), Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Patch | RbacVerb.Update)]
[EntityRbac(typeof(V1Alpha1VmClone), Subresource = "status", Verbs = RbacVerb.Get | RbacVerb.Update | RbacVerb.Patch)]
[EntityRbac(typeof(V1Alpha1VmClone), Subresource = "finalizers", Verbs = RbacVerb.Update)]
[EntityRbac(typeof(V1Alpha1GoldenImage), Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch)]
[GenericRbac(Groups = [""], Resources = ["events"], Verbs = RbacVerb.Get | RbacVerb.List)]
public sealed class VmCloneController(
    IKubernetesClient client,
    IEventRecorder events,
    ImprintOptions options,
    StorageCapabilityRegistry storageCapabilities,
    OperatorMetrics metrics,
    TimeProvider time,
    SharedInformerFactory informers,
    PlanProgressMemory planProgress,
    ILogger<VmCloneController> logger) : IEntityController<V1Alpha1VmClone>
{
    private static readonly IReadOnlyList<IPhase<VmCloneContext, VmClonePhase>> Phases =
    [
        new ValidateClonePhase(), new WaitForGoldenImagePhase(), new ProvisionTargetPhase(), new VerifyTargetPhase(), new CopyDiskPhase(), new CustomizePhase(), new ResizePhase(),
    ];

    public async Task<ReconcileResult> ReconcileAsync(V1Alpha1VmClone entity, CancellationToken cancellationToken)
    {
        if (entity.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Success();
        }

        var before = entity.Status;
        var status = before is null ? new V1Alpha1VmClone.VmCloneStatus() : StatusWriter.Copy(before, ImprintJsonContext.Default.VmCloneStatus);
        if (status.Phase is VmClonePhase.Ready or VmClonePhase.Failed)
        {
            PhaseRunner.ObserveFinal(status, entity.Metadata.Generation);
            return await WriteAsync(entity, before, status, ReconcileResult.Success(), cancellationToken).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        if (status.NextRetryTime is { } retryAt && retryAt > now)
        {
            return ReconcileResult.Requeue(retryAt - now);
        }

        status.NextRetryTime = null;
        var reader = new CachedReader(client, informers);
        VmCloneContext? context = null;
        var steps = new AgentStepRunner(client, options.Agent, reader);
        context = new VmCloneContext
        {
            Entity = entity,
            Status = status,
            Client = client,
            Reader = reader,
            Steps = steps,
            DiskSteps = new DiskStepRunner(steps, reader, entity, status.RetryCount ?? 0, options.Agent.OneJobPerDisk,
                step => VmCloneDiskPlan.After(context!, step), () => VmCloneDiskPlan.Identity(context!), planProgress),
            Events = events,
            Options = options,
            Now = now,
            StorageCapabilities = storageCapabilities,
        };
        var pass = await PhaseRunner.RunAsync(Phases, context, entity, status, options.Agent, events, now, cancellationToken, context.DiskSteps).ConfigureAwait(false);
        status.Phase = pass.Failed ? VmClonePhase.Failed : pass.StoppedIn ?? VmClonePhase.Ready;
        status.Progress = status.Phase == VmClonePhase.Ready ? "100%" : context.Progress;
        if (context.BytesCopied is { } copied && status.CloneStrategy is { } used)
        {
            metrics.BytesCopied(used.ToString(), copied);
        }

        if (context.FellBackFrom is { } abandoned)
        {
            // A bounded label: the message itself (claim names, provisioner text) is in status and the Event.
            metrics.FellBack($"{abandoned}{context.FallbackCause}");
        }

        var from = PhaseTransitions.ReportPassed(entity, before?.Phase, pass.PassedInPlan, status.Phase.Value,
            phase => phase == VmClonePhase.Cloning ? PhaseNote(phase, context) : $"{phase}: step finished in the plan Job", events, metrics, logger);
        PhaseTransitions.Report(entity, from, status.Phase.Value, status.Phase == VmClonePhase.Failed, status.Reason,
            () => PhaseNote(status.Phase.Value, context), events, metrics, logger);

        if (status.Phase == VmClonePhase.Ready)
        {
            await context.Steps.CleanupAsync(context.Namespace, V1Alpha1VmClone.KindName, context.Name, cancellationToken).ConfigureAwait(false);
            if (context.GoldenNamespace != context.Namespace)
            {
                await TransferDisk.CleanupAsync(client, context.GoldenNamespace, context.Namespace, context.Name, cancellationToken).ConfigureAwait(false);
            }

            metrics.CloneReady(status.CloneStrategy?.ToString() ?? "unknown", status.StartTime is { } start ? now - start : TimeSpan.Zero);
        }

        var next = pass.RequeueAfter is { } after ? ReconcileResult.Requeue(after) : ReconcileResult.Success();
        return await WriteAsync(entity, before, status, next, cancellationToken).ConfigureAwait(false);
    }

    private Task<ReconcileResult> WriteAsync(V1Alpha1VmClone entity, V1Alpha1VmClone.VmCloneStatus? before, V1Alpha1VmClone.VmCloneStatus status, ReconcileResult next, CancellationToken ct) =>
        StatusWriter.WriteIfChangedAsync(client, entity, before, status, ImprintJsonContext.Default.VmCloneStatus, (e, s) => e.Status = s, next, ct);

    public Task<ReconcileResult> DeletedAsync(V1Alpha1VmClone entity, CancellationToken cancellationToken)
    {
        planProgress.Forget(entity);
        return Task.FromResult(ReconcileResult.Success());
    }

    private static string PhaseNote(VmClonePhase phase, VmCloneContext context) => phase switch
    {
        VmClonePhase.Cloning => $"cloning GoldenImage {context.GoldenNamespace}/{context.Entity.Spec.GoldenImage.Name} into PVC {context.TargetPvcName} ({context.Status.CloneStrategy?.ToString() ?? "choosing a strategy"})",
        VmClonePhase.Ready => $"disk ready in PVC {context.TargetPvcName} ({context.Status.SshHostKeys?.Count ?? 0} SSH host keys in status)",
        _ => $"{phase}: {context.Status.Message}",
    };
}
