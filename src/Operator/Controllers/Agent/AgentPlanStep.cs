namespace Imprint.Operator.Controllers.Agent;

/// <summary>
/// One agent step of a disk's plan, as a pure description: the command's arguments, the disks and input files it
/// needs, and the files of its own ConfigMap (e.g. customize.json). Run alone it is one Job; in a plan it is one step
/// of <c>imprint run</c> in the disk's single Job.
/// </summary>
public sealed record AgentPlanStep(AgentStep Step, IReadOnlyList<string> Args, IReadOnlyList<AgentDisk> Disks)
{
    public AgentInput? Input { get; init; }

    /// <summary>Contents of the step's ConfigMap, projected into the input folder by the keys of <see cref="Input"/>.</summary>
    public IReadOnlyDictionary<string, string>? InputFiles { get; init; }

    /// <summary>The step's name in plans, progress lines and the step label.</summary>
    public string Name => AgentJobNames.Step(Step);

    /// <summary>A step that only reads its disks: its failure cannot have damaged what earlier steps made.</summary>
    public static bool ReadsOnly(AgentStep step) => step is AgentStep.Inspect or AgentStep.Fingerprint or AgentStep.Digest or AgentStep.Verify or AgentStep.Measure;
}
