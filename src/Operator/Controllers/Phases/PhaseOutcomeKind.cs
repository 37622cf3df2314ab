namespace Imprint.Operator.Controllers.Phases;

/// <summary>Done, Wait or Fail.</summary>
public enum PhaseOutcomeKind
{
    Done,
    Wait,
    Fail,
}
