using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Events;
using Imprint.Operator.Runtime.Metrics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Controllers.Phases;

/// <summary>
/// What both controllers do when status.phase changes: a log line, and a Normal Event named after the new phase —
/// or, when it is Failed, the failure counter (the Warning Event was already recorded by <see cref="PhaseRunner"/>).
/// </summary>
public static class PhaseTransitions
{
    public static void Report<TPhase>(
        IKubernetesObject<V1ObjectMeta> entity, TPhase? from, TPhase to, bool failed, string? reason, Func<string> note,
        IEventRecorder events, OperatorMetrics metrics, ILogger logger)
        where TPhase : struct, Enum
    {
        if (Nullable.Equals(from, to))
        {
            return;
        }

        logger.LogInformation("{Kind} {Namespace}/{Name}: {From} -> {To}", entity.Kind, entity.Metadata.NamespaceProperty, entity.Metadata.Name, from, to);
        if (failed)
        {
            metrics.Failed(entity.Kind!, reason ?? "Unknown");
        }
        else
        {
            events.Record(entity, EventType.Normal, to.ToString(), note());
        }
    }

    /// <summary>
    /// Reports, in order, the phases a pass walked through because their steps finished inside the disk's plan Job
    /// between two progress reads (<see cref="PhasePassResult{TPhase}.PassedInPlan"/>): each one after
    /// <paramref name="from"/> and before <paramref name="to"/> gets its log line and Normal Event, as when every step
    /// was its own Job and status stopped in each. Returns the last phase reported (or <paramref name="from"/>), the
    /// one the pass's own transition to <paramref name="to"/> starts from.
    /// </summary>
    public static TPhase? ReportPassed<TPhase>(
        IKubernetesObject<V1ObjectMeta> entity, TPhase? from, IReadOnlyList<TPhase> passed, TPhase to, Func<TPhase, string> note,
        IEventRecorder events, OperatorMetrics metrics, ILogger logger)
        where TPhase : struct, Enum
    {
        var order = Comparer<TPhase>.Default;
        foreach (var phase in passed.Distinct())
        {
            if ((from is { } last && order.Compare(phase, last) <= 0) || order.Compare(phase, to) >= 0)
            {
                continue;
            }

            Report(entity, from, phase, failed: false, reason: null, () => note(phase), events, metrics, logger);
            from = phase;
        }

        return from;
    }
}
