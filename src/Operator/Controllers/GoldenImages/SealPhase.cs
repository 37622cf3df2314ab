using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Phases;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>Sealing: virt-sysprep-style operations run offline; the operations that changed something go to status.</summary>
public sealed class SealPhase : IPhase<GoldenImageContext, GoldenImagePhase>
{
    /// <summary>
    /// A derived golden's default operations: the defaults without those that would undo its spec.customize — users'
    /// authorized keys (ssh-userdir) and network profiles (net-hwaddr, net-nmconn). Its parent was sealed with them
    /// already, so what they would remove now is the layer's own intended content.
    /// </summary>
    public const string LayerDefaults = "-ssh-userdir,-net-hwaddr,-net-nmconn";

    public GoldenImagePhase Phase => GoldenImagePhase.Sealing;

    /// <summary>The seal step, or null when spec.seal.disabled.</summary>
    public static AgentPlanStep? PlanStep(GoldenImageContext context)
    {
        var seal = context.Entity.Spec.Seal;
        if (seal?.Disabled == true)
        {
            return null;
        }

        var operations = seal?.Operations switch
        {
            null when context.Entity.Spec.Source.GoldenImage is not null => LayerDefaults,
            null => "defaults",
            { Count: 0 } => "none",
            var list => string.Join(',', list),
        };
        var disk = context.TargetDisk;
        return new AgentPlanStep(AgentStep.Seal, ["seal", disk.Path, "--operations", operations, .. seal?.Shrink == true ? new[] { "--shrink" } : []], [disk]);
    }

    public async Task<PhaseOutcome> RunAsync(GoldenImageContext context, CancellationToken cancellationToken)
    {
        if (PlanStep(context) is not { } step)
        {
            context.Status.SealedOperations = [];
            return PhaseOutcome.Done;
        }

        var observation = await context.DiskSteps.RunAsync(step, cancellationToken).ConfigureAwait(false);
        if (observation.Result is { Ok: true } result)
        {
            context.Status.Engine = result.Engine ?? context.Status.Engine;
            context.Status.SealedOperations = result.Changes?.Select(c => c.Operation).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() ?? [];
            GoldenImageIntegrity.RecordSeal(context.Status, result);
        }

        return AgentStepOutcome.From(observation, context.DiskSteps.JobName(step), "Sealing", "sealing the disk",
            TimeSpan.FromSeconds(context.Options.Agent.ProgressIntervalSeconds));
    }
}
