namespace Imprint.Operator.Controllers.Phases;

/// <summary>How a pass ended: the phase it stopped in (or null when every phase was done), and when to look again.</summary>
public sealed record PhasePassResult<TPhase>(TPhase? StoppedIn, PhaseOutcome Outcome, bool Failed, TimeSpan? RequeueAfter)
    where TPhase : struct, Enum;
