using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Phases;

namespace Imprint.Operator.Controllers.VmClones;

/// <summary>
/// Customizing: the agent writes spec.customize into the guest offline — always with a fresh machine-id and new SSH
/// host keys unless asked to keep them — and the keys' fingerprints go to status.sshHostKeys.
/// </summary>
public sealed class CustomizePhase : IPhase<VmCloneContext, VmClonePhase>
{
    public VmClonePhase Phase => VmClonePhase.Customizing;

    /// <summary>spec.customize as customize.json in the step's ConfigMap, Secret keys as files beside it.</summary>
    public static AgentPlanStep PlanStep(VmCloneContext context)
    {
        var (json, files) = CloneInputs.Build(context.Entity.Spec.Customize);
        var configMap = AgentJobNames.Input(context.Name, AgentStep.Customize, context.Attempt);
        var target = context.TargetDisk;
        return new AgentPlanStep(AgentStep.Customize, ["customize", target.Path, "--spec", AgentInput.PathOf(CloneInputs.SpecFile)], [target])
        {
            Input = new AgentInput([AgentInputFile.ConfigMap(configMap, CloneInputs.SpecFile, CloneInputs.SpecFile), .. files]),
            InputFiles = new Dictionary<string, string> { [CloneInputs.SpecFile] = json },
        };
    }

    public async Task<PhaseOutcome> RunAsync(VmCloneContext context, CancellationToken cancellationToken)
    {
        var step = PlanStep(context);
        var observation = await context.DiskSteps.RunAsync(step, cancellationToken).ConfigureAwait(false);
        if (observation.Result is { Ok: true } result)
        {
            context.Status.Engine = result.Engine ?? context.Status.Engine;
            context.Status.MachineId = result.MachineId ?? context.Status.MachineId;
            context.Status.SshHostKeys = result.SshHostKeys?.Select(k => new SshHostKey { Type = k.Type, PublicKey = k.PublicKey, Fingerprint = k.Fingerprint }).ToList();
            var operations = result.Changes?.Select(c => c.Operation).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            context.Status.Changes = new ChangeSummary { Count = (result.Changes?.Count ?? 0) + result.ChangesOmitted, Operations = operations };
            context.Status.Durations ??= new CloneDurations();
            context.Status.Durations.CustomizeMs = result.DurationMs;
        }

        return AgentStepOutcome.From(observation, context.DiskSteps.JobName(step), "Customizing", "customizing the guest",
            TimeSpan.FromSeconds(context.Options.Agent.ProgressIntervalSeconds));
    }
}
