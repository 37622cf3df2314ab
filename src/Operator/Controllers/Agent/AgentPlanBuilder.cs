using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Controllers.Agent;

/// <summary>
/// Builds a disk's plan Job as a pure function: the plan document (<c>imprint.dev/plan/v1</c>: the steps' names and
/// arguments) and the steps' own input files in one ConfigMap, the union of the steps' disks (writable when any step
/// writes it) and input files, and <c>imprint run</c> as the command. The Job's annotations list the steps and the
/// disks' identity, which is what a retry reads to tell which steps are proven done.
/// </summary>
public static class AgentPlanBuilder
{
    public const string ApiVersion = "imprint.dev/plan/v1";
    public const string PlanFile = "plan.json";

    public static string JobName(string owner, int attempt) => AgentJobNames.Job(owner, AgentStep.Plan, attempt);

    public static string ConfigMapName(string owner, int attempt) => AgentJobNames.Input(owner, AgentStep.Plan, attempt);

    /// <summary>The plan document the agent runs.</summary>
    public static string Document(IReadOnlyList<AgentPlanStep> steps)
    {
        var document = new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["steps"] = new JsonArray([.. steps.Select(s => (JsonNode)new JsonObject
            {
                ["name"] = s.Name,
                ["args"] = new JsonArray([.. s.Args.Select(a => (JsonNode?)JsonValue.Create(a))]),
            })]),
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The ConfigMap's data: the plan and every step's own files.</summary>
    public static Dictionary<string, string> ConfigMapData(IReadOnlyList<AgentPlanStep> steps)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal) { [PlanFile] = Document(steps) };
        foreach (var (key, value) in steps.SelectMany(s => s.InputFiles ?? new Dictionary<string, string>()))
        {
            data[key] = value;
        }

        return data;
    }

    /// <param name="jobOwner">What the Job and ConfigMap are named after, when not the owner's name (a golden's later revision).</param>
    public static AgentJobRequest Request(IKubernetesObject<V1ObjectMeta> owner, int attempt, IReadOnlyList<AgentPlanStep> steps, string? diskIdentity, string? jobOwner = null)
    {
        var configMap = ConfigMapName(jobOwner ?? owner.Metadata.Name!, attempt);
        var disks = steps.SelectMany(s => s.Disks)
            .GroupBy(d => d.VolumeName, StringComparer.Ordinal)
            .Select(g => g.First() with { ReadOnly = g.All(d => d.ReadOnly) })
            .ToList();

        // A step's ConfigMap keys now live in the plan's ConfigMap; Secret keys stay where they are.
        var files = new List<AgentInputFile> { AgentInputFile.ConfigMap(configMap, PlanFile, PlanFile) };
        foreach (var file in steps.SelectMany(s => s.Input?.Files ?? []))
        {
            var moved = file.Source == AgentInputSource.ConfigMap ? file with { ObjectName = configMap } : file;
            if (!files.Any(f => f.RelativePath == moved.RelativePath))
            {
                files.Add(moved);
            }
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [AgentLabels.PlanSteps] = string.Join(',', steps.Select(s => s.Name)) };
        if (diskIdentity is not null)
        {
            annotations[AgentLabels.DiskIdentity] = diskIdentity;
        }

        return new AgentJobRequest
        {
            Owner = owner,
            Step = AgentStep.Plan,
            Attempt = attempt,
            Args = ["run", AgentInput.PathOf(PlanFile)],
            Disks = disks,
            Input = new AgentInput(files),
            Annotations = annotations,
            NameOverride = jobOwner is null ? null : JobName(jobOwner, attempt),
        };
    }

    /// <summary>The steps a plan Job runs, from its annotation.</summary>
    public static IReadOnlyList<string> StepsOf(V1Job? job) =>
        job?.Metadata.Annotations?.TryGetValue(AgentLabels.PlanSteps, out var steps) == true ? steps.Split(',', StringSplitOptions.RemoveEmptyEntries) : [];

    public static string? IdentityOf(V1Job? job) =>
        job?.Metadata.Annotations?.TryGetValue(AgentLabels.DiskIdentity, out var identity) == true ? identity : null;
}
