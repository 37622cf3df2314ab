namespace Imprint.Operator.Controllers.Phases;

/// <summary>
/// One step of a controller's plan (as CDI's clone planner): phases run in order on every pass; the first that is
/// not done stops the pass and its <see cref="Phase"/> becomes status.phase. Each must be cheap when already done.
/// </summary>
public interface IPhase<in TContext, out TPhase>
    where TPhase : struct, Enum
{
    TPhase Phase { get; }

    Task<PhaseOutcome> RunAsync(TContext context, CancellationToken cancellationToken);
}
