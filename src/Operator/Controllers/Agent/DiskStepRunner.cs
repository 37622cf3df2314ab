using System.Collections.Concurrent;
using Imprint.Operator.Runtime.Informers;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Controllers.Agent;

/// <summary>
/// Runs a disk's agent steps for the phases of one reconcile pass. With one Job per disk (the default) the first
/// phase that needs the agent starts a plan Job holding its step and every step after it that can share the pod
/// (<paramref name="following"/>), less the leading steps an earlier attempt proved done (<see cref="AgentPlanRetry"/>);
/// each phase then sees its own step through that Job: done once the agent reported a later step or the step's result,
/// running with its progress, or failed with its exit code. With <see cref="Configuration.AgentOptions.OneJobPerDisk"/>
/// off every step is its own Job, as before plans existed.
/// </summary>
public sealed class DiskStepRunner(
    AgentStepRunner steps,
    CachedReader reader,
    IKubernetesObject<V1ObjectMeta> owner,
    int attempt,
    bool oneJobPerDisk,
    Func<AgentStep, IReadOnlyList<AgentPlanStep>> following,
    Func<string?> diskIdentity,
    string? jobOwner = null)
{
    private const int MaxRememberedPods = 10_000;

    // Shared by the passes of every owner: each pass builds its own runner.
    private static readonly ConcurrentDictionary<string, AgentProgressValue> LastProgress = new(StringComparer.Ordinal);

    private PlanState? _plan;

    private string Namespace => owner.Metadata.NamespaceProperty!;

    /// <summary>
    /// How many steps this pass found done inside this attempt's plan Job. A phase whose step is counted here passed
    /// without stopping, so status may never have shown it (the plan can finish several steps between two progress
    /// reads); <see cref="Phases.PhaseRunner"/> lists such phases so their transitions are still reported.
    /// </summary>
    public int StepsDoneInPlan { get; private set; }

    /// <summary>What the Jobs are named after: the owner, or (a golden's later revision) &lt;owner&gt;-r&lt;N&gt;, so two builds never share a Job.</summary>
    private string OwnerName => jobOwner ?? owner.Metadata.Name!;

    private string PlanJob => AgentPlanBuilder.JobName(OwnerName, attempt);

    /// <summary>The Job a step's outcome names: its own, or the plan's with the step.</summary>
    public string JobName(AgentPlanStep step) =>
        oneJobPerDisk ? $"{PlanJob} (step {step.Name})" : AgentJobNames.Job(OwnerName, step.Step, attempt);

    /// <summary>Starts the step's Job (or the plan holding it) when there is none yet, and reports how the step stands.</summary>
    public async Task<AgentJobObservation> RunAsync(AgentPlanStep step, CancellationToken cancellationToken)
    {
        if (!oneJobPerDisk)
        {
            var request = SingleRequest(step);
            var observation = await steps.RunAsync(request, cancellationToken, AgentJobNames.Input(OwnerName, step.Step, attempt), step.InputFiles).ConfigureAwait(false);
            return observation.State == AgentJobState.Running ? observation : observation with { Progress = null };
        }

        var plan = await ObservePlanAsync(cancellationToken).ConfigureAwait(false);
        if (plan.Observation.State == AgentJobState.Missing)
        {
            var planned = AgentPlanRetry.Remaining([step, .. following(step.Step)], await ProvenDoneAsync(cancellationToken).ConfigureAwait(false));
            if (planned.Count == 0)
            {
                return new AgentJobObservation(AgentJobState.Succeeded);
            }

            var request = AgentPlanBuilder.Request(owner, attempt, planned, diskIdentity(), jobOwner);
            var started = await steps.RunAsync(request, cancellationToken, AgentPlanBuilder.ConfigMapName(OwnerName, attempt), AgentPlanBuilder.ConfigMapData(planned))
                .ConfigureAwait(false);
            _plan = plan = new PlanState(started, [.. planned.Select(s => s.Name)]);
        }

        var view = StepView(plan, step.Name);
        if (view.State == AgentJobState.Succeeded && plan.Steps.Contains(step.Name))
        {
            StepsDoneInPlan++;
        }

        return view;
    }

    /// <summary>How the step stands, without starting anything.</summary>
    public async Task<AgentJobObservation> ObserveAsync(AgentPlanStep step, CancellationToken cancellationToken)
    {
        if (!oneJobPerDisk)
        {
            return await steps.ObserveAsync(SingleRequest(step), cancellationToken).ConfigureAwait(false);
        }

        var plan = await ObservePlanAsync(cancellationToken).ConfigureAwait(false);
        return plan.Observation.State == AgentJobState.Missing ? plan.Observation : StepView(plan, step.Name);
    }

    /// <summary>
    /// Whether this attempt's plan leaves the step out because an earlier attempt proved it done (so work the step
    /// needs outside the plan, e.g. the serving side of a cross-namespace copy, is not started). Never with one Job per step.
    /// </summary>
    public async Task<bool> SkipsAsync(AgentPlanStep step, CancellationToken cancellationToken)
    {
        if (!oneJobPerDisk)
        {
            return false;
        }

        var plan = await ObservePlanAsync(cancellationToken).ConfigureAwait(false);
        return plan.Observation.State == AgentJobState.Missing
            ? AgentPlanRetry.Remaining([step], await ProvenDoneAsync(cancellationToken).ConfigureAwait(false)).Count == 0
            : !plan.Steps.Contains(step.Name);
    }

    /// <summary>
    /// One step seen through its plan's Job. Steps not in the plan were proven done by an earlier attempt (their
    /// results are in status already). Steps before the one running or failing are done; a finished plan's results
    /// carry each step's own.
    /// </summary>
    public static AgentJobObservation StepView(PlanState plan, string step)
    {
        var index = plan.Steps.ToList().IndexOf(step);
        var observation = plan.Observation;
        if (index < 0)
        {
            return new AgentJobObservation(AgentJobState.Succeeded);
        }

        var own = observation.Result?.Steps?.FirstOrDefault(s => s.Step == step);
        switch (observation.State)
        {
            case AgentJobState.Succeeded:
                return new AgentJobObservation(AgentJobState.Succeeded, own, 0, PodName: observation.PodName);
            case AgentJobState.Failed:
                if (own is { Ok: true })
                {
                    return new AgentJobObservation(AgentJobState.Succeeded, own, 0, PodName: observation.PodName);
                }

                var failedAt = observation.Result?.FailedStep ?? observation.Progress?.Step;
                var failedIndex = failedAt is null ? 0 : Math.Max(0, plan.Steps.ToList().IndexOf(failedAt));
                return index < failedIndex
                    ? new AgentJobObservation(AgentJobState.Succeeded, PodName: observation.PodName)
                    : observation with { Result = own, Progress = null };
            default:
                var running = observation.Progress?.Step is { } current ? Math.Max(0, plan.Steps.ToList().IndexOf(current)) : 0;
                return index < running ? new AgentJobObservation(AgentJobState.Succeeded, PodName: observation.PodName)
                    : index == running ? observation
                    : observation with { Progress = null };
        }
    }

    private async Task<PlanState> ObservePlanAsync(CancellationToken ct)
    {
        if (_plan is not null)
        {
            return _plan;
        }

        var job = await reader.GetAsync<V1Job>(PlanJob, Namespace, ct).ConfigureAwait(false);
        var observation = job is null
            ? new AgentJobObservation(AgentJobState.Missing)
            : await steps.ObserveAsync(new AgentJobRequest { Owner = owner, Step = AgentStep.Plan, Attempt = attempt, Args = [], NameOverride = jobOwner is null ? null : PlanJob }, ct).ConfigureAwait(false);
        _plan = new PlanState(WithLastKnownProgress(observation), AgentPlanBuilder.StepsOf(job));
        return _plan;
    }

    /// <summary>
    /// A running plan whose log read gave no progress (e.g. read as the pod ends) keeps the step its pod last reported,
    /// so status never falls back to the plan's first step. Keyed by the pod: a retry's new pod starts afresh.
    /// </summary>
    private AgentJobObservation WithLastKnownProgress(AgentJobObservation observation)
    {
        if (observation.PodName is not { } pod)
        {
            return observation;
        }

        var key = $"{Namespace}/{PlanJob}/{pod}";
        if (observation.State != AgentJobState.Running)
        {
            LastProgress.TryRemove(key, out _);
            return observation;
        }

        if (observation.Progress?.Step is not null)
        {
            if (LastProgress.Count > MaxRememberedPods)
            {
                LastProgress.Clear();
            }

            LastProgress[key] = observation.Progress;
            return observation;
        }

        return LastProgress.TryGetValue(key, out var last) ? observation with { Progress = last } : observation;
    }

    private async Task<IReadOnlySet<string>> ProvenDoneAsync(CancellationToken ct)
    {
        var earlier = new List<(string?, AgentResultDocument?)>();
        for (var k = 0; k < attempt; k++)
        {
            var name = AgentPlanBuilder.JobName(OwnerName, k);
            var job = await reader.GetAsync<V1Job>(name, Namespace, ct).ConfigureAwait(false);
            var result = job is null ? null : (await steps.ObserveJobAsync(name, Namespace, ct).ConfigureAwait(false)).Result;
            earlier.Add((AgentPlanBuilder.IdentityOf(job), result));
        }

        return AgentPlanRetry.ProvenDone(earlier, diskIdentity());
    }

    private AgentJobRequest SingleRequest(AgentPlanStep step) => new()
    {
        Owner = owner,
        Step = step.Step,
        Attempt = attempt,
        Args = step.Args,
        Disks = step.Disks,
        Input = step.Input,
        NameOverride = jobOwner is null ? null : AgentJobNames.Job(jobOwner, step.Step, attempt),
    };

    /// <summary>A plan Job's observation and its steps, in order.</summary>
    public sealed record PlanState(AgentJobObservation Observation, IReadOnlyList<string> Steps);
}
