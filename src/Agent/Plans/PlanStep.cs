namespace Imprint.Agent.Plans;

/// <summary>
/// One step of a plan: a name (unique in the plan; it labels progress lines and the step's result) and the arguments of
/// one of today's commands, exactly as on the command line (<c>["customize", "/disks/target/disk.img", "--spec", "…"]</c>).
/// </summary>
public sealed record PlanStep
{
    public string? Name { get; init; }

    public IReadOnlyList<string>? Args { get; init; }
}
