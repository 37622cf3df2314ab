using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Events;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Controllers.Phases;

/// <summary>
/// Runs phases in order and writes what the pass concluded into the shared status fields: Ready/Progressing/Degraded
/// conditions with observedGeneration, reason and message, retries with exponential backoff (a retry is a new
/// attempt that starts over from the first disk step), Failed when a failure is permanent or retries are used up.
/// The caller maps <see cref="PhasePassResult{TPhase}.StoppedIn"/> to status.phase.
/// </summary>
public static class PhaseRunner
{
    public static async Task<PhasePassResult<TPhase>> RunAsync<TContext, TPhase>(
        IReadOnlyList<IPhase<TContext, TPhase>> phases,
        TContext context,
        IKubernetesObject<V1ObjectMeta> entity,
        IReconciledStatus status,
        AgentOptions agent,
        IEventRecorder events,
        DateTimeOffset now,
        CancellationToken cancellationToken,
        DiskStepRunner? diskSteps = null)
        where TPhase : struct, Enum
    {
        var generation = entity.Metadata.Generation;
        status.ObservedGeneration = generation;
        status.StartTime ??= now;
        var passed = new List<TPhase>();
        foreach (var phase in phases)
        {
            var doneInPlan = diskSteps?.StepsDoneInPlan ?? 0;
            var outcome = await phase.RunAsync(context, cancellationToken).ConfigureAwait(false);
            switch (outcome.Kind)
            {
                case PhaseOutcomeKind.Done:
                    if ((diskSteps?.StepsDoneInPlan ?? 0) > doneInPlan)
                    {
                        passed.Add(phase.Phase);
                    }

                    continue;
                case PhaseOutcomeKind.Wait:
                    Conditions.Remove(status.Conditions, ConditionTypes.Stalled);
                    status.Reason = outcome.Reason;
                    status.Message = outcome.Message;
                    status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Ready, ConditionStatus.False, outcome.Reason!, outcome.Message!, generation, now);
                    status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Progressing, ConditionStatus.True, outcome.Reason!, outcome.Message!, generation, now);
                    return new PhasePassResult<TPhase>(phase.Phase, outcome, Failed: false, outcome.RequeueAfter, passed);
                default:
                    return Fail(phase.Phase, outcome, entity, status, agent, events, now) with { PassedInPlan = passed };
            }
        }

        status.Reason = null;
        status.Message = null;
        status.Progress = "100%";
        status.NextRetryTime = null;
        status.CompletionTime ??= now;
        status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Ready, ConditionStatus.True, "Ready", "every step succeeded", generation, now);
        status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Progressing, ConditionStatus.False, "Complete", "nothing left to do", generation, now);
        status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Degraded, ConditionStatus.False, "Ready", "", generation, now);
        Conditions.Remove(status.Conditions, ConditionTypes.Stalled);
        return new PhasePassResult<TPhase>(null, PhaseOutcome.Done, Failed: false, null, passed);
    }

    /// <summary>
    /// A final status (Ready or Failed) met again after an edit of a mutable field (reclaimPolicy, sharing...): nothing
    /// is redone, but status says it saw this generation — kstatus, Argo CD and Flux read a stale observedGeneration
    /// as "still progressing", forever.
    /// </summary>
    public static void ObserveFinal(IReconciledStatus status, long? generation)
    {
        status.ObservedGeneration = generation;
        foreach (var condition in status.Conditions ?? [])
        {
            condition.ObservedGeneration = generation;
        }
    }

    /// <summary>The wait before attempt <paramref name="retry"/> (1-based): base × 2^(retry-1), capped.</summary>
    public static TimeSpan Backoff(int retry, AgentOptions agent)
    {
        var seconds = agent.RetryBackoffSeconds * Math.Pow(2, Math.Max(0, retry - 1));
        return TimeSpan.FromSeconds(Math.Min(seconds, agent.RetryBackoffMaxSeconds));
    }

    private static PhasePassResult<TPhase> Fail<TPhase>(
        TPhase phase, PhaseOutcome outcome, IKubernetesObject<V1ObjectMeta> entity, IReconciledStatus status, AgentOptions agent, IEventRecorder events, DateTimeOffset now)
        where TPhase : struct, Enum
    {
        var generation = entity.Metadata.Generation;
        var retries = status.RetryCount ?? 0;
        var message = $"{phase}: {outcome.Message}";
        status.Reason = outcome.Reason;
        status.Message = message;
        status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Degraded, ConditionStatus.True, outcome.Reason!, message, generation, now);
        if (outcome.Retryable && retries < agent.MaxRetries)
        {
            var wait = Backoff(retries + 1, agent);
            status.RetryCount = retries + 1;
            status.NextRetryTime = now + wait;
            status.Progress = null;
            status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Ready, ConditionStatus.False, outcome.Reason!, message, generation, now);
            status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Progressing, ConditionStatus.True, "RetryScheduled",
                $"attempt {retries + 2} of {agent.MaxRetries + 1} starts over in {wait.TotalSeconds:0} s", generation, now);
            events.Record(entity, EventType.Warning, outcome.Reason!, $"{message}; retry {retries + 1} of {agent.MaxRetries} in {wait.TotalSeconds:0} s");
            return new PhasePassResult<TPhase>(phase, outcome, Failed: false, wait, []);
        }

        var final = outcome.Retryable ? $"{message} (gave up after {retries} retries)" : message;
        status.Message = final;
        status.NextRetryTime = null;
        status.CompletionTime = now;
        status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Ready, ConditionStatus.False, outcome.Reason!, final, generation, now);
        status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Progressing, ConditionStatus.False, "Failed", final, generation, now);
        status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Stalled, ConditionStatus.True, outcome.Reason!, final, generation, now);
        events.Record(entity, EventType.Warning, outcome.Reason!, final);
        return new PhasePassResult<TPhase>(phase, outcome, Failed: true, null, []);
    }
}
