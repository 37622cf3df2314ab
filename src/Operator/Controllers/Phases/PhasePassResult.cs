namespace Imprint.Operator.Controllers.Phases;

/// <summary>
/// How a pass ended: the phase it stopped in (or null when every phase was done), and when to look again.
/// <see cref="PassedInPlan"/>: the phases, in order, that this pass found done because their step finished inside the
/// disk's plan Job (see <see cref="Agent.DiskStepRunner.StepsDoneInPlan"/>).
/// </summary>
public sealed record PhasePassResult<TPhase>(TPhase? StoppedIn, PhaseOutcome Outcome, bool Failed, TimeSpan? RequeueAfter, IReadOnlyList<TPhase> PassedInPlan)
    where TPhase : struct, Enum;
