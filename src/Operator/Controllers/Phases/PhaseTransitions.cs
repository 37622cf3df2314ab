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
}
