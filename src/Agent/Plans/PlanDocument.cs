namespace Imprint.Agent.Plans;

/// <summary>
/// What <c>imprint run PLAN.json</c> executes (apiVersion <c>imprint.dev/plan/v1</c>): steps run in order in one
/// process; the first that fails stops the plan. docs/architecture.md describes the contract.
/// </summary>
public sealed record PlanDocument
{
    public const string CurrentApiVersion = "imprint.dev/plan/v1";

    public string? ApiVersion { get; init; }

    public IReadOnlyList<PlanStep>? Steps { get; init; }
}
