using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Phases;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Events;
using k8s.Models;

namespace Imprint.Operator.Controllers.VmClones;

/// <summary>
/// Auto gives up a CSI clone or snapshot restore: the attempt's Jobs and the claim go, status says Copy with the reason
/// in status.fallbackReason, a FallbackToCopy Event tells the user, and the next pass makes a fresh claim for the copy.
/// </summary>
public static class CopyFallback
{
    public static async Task<PhaseOutcome> StartAsync(VmCloneContext context, string claimName, string reason, CancellationToken ct)
    {
        var strategy = context.Status.CloneStrategy!.Value;

        // Jobs of this attempt may use the claim (or wait on it); they go, and the copy starts on a fresh claim.
        await context.Steps.CleanupAsync(context.Namespace, V1Alpha1VmClone.KindName, context.Name, ct).ConfigureAwait(false);
        await context.Client.DeleteAsync<V1PersistentVolumeClaim>(claimName, context.Namespace, PropagationPolicy.Background, ct).ConfigureAwait(false);
        context.Status.CloneStrategy = CloneStrategy.Copy;
        context.Status.FallbackReason = reason;
        context.Events.Record(context.Entity, EventType.Warning, "FallbackToCopy", $"{reason}; copying the disk instead");
        context.FellBackFrom = strategy;
        return PhaseOutcome.Wait("FallingBackToCopy", reason, TimeSpan.FromSeconds(1));
    }
}
