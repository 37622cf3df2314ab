using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Phases;
using Imprint.Operator.Kubernetes;
using k8s.Models;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>
/// Importing: the agent writes the raw golden disk — downloaded and checksum-verified (http), or converted from the
/// source claim (pvc, mounted read-only). Retries overwrite the same claim from the source again.
/// </summary>
public sealed class ImportPhase : IPhase<GoldenImageContext, GoldenImagePhase>
{
    public GoldenImagePhase Phase => GoldenImagePhase.Importing;

    public async Task<PhaseOutcome> RunAsync(GoldenImageContext context, CancellationToken cancellationToken)
    {
        string? headerSecret = null;
        if (context.Entity.Spec.Source.Http is { SecretRef: { } secretRef })
        {
            headerSecret = HttpHeaderSecret.Name(context.Name, context.Attempt);
            var problem = await EnsureHeaderSecretAsync(context, secretRef.Name, headerSecret, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return problem;
            }
        }

        var step = PlanStep(context, headerSecret);
        var observation = await context.DiskSteps.RunAsync(step, cancellationToken).ConfigureAwait(false);
        context.Progress = observation is { State: AgentJobState.Running, Progress: { } p } ? AgentOutput.Percent(p.Fraction) : context.Progress;
        context.ImportedChecksum = observation.Result?.Copy?.Checksum ?? context.ImportedChecksum;
        return AgentStepOutcome.From(observation, context.DiskSteps.JobName(step), "Importing", "importing the disk",
            TimeSpan.FromSeconds(context.Options.Agent.ProgressIntervalSeconds));
    }

    /// <summary>Download (http; headers from the derived Secret as a file) or conversion (pvc, or a derived golden's customized copy of its parent) into the golden claim.</summary>
    public static AgentPlanStep PlanStep(GoldenImageContext context, string? headerSecret)
    {
        var source = context.Entity.Spec.Source;
        var target = context.TargetDisk;
        if (source.Http is { } http)
        {
            List<string> args = ["import", "--url", http.Url, .. context.ImportChecksum is { } checksum ? new[] { "--checksum", checksum } : [], target.Path, "--overwrite"];
            if (headerSecret is null)
            {
                return new AgentPlanStep(AgentStep.Import, args, [target]);
            }

            args.AddRange(["--header-file", AgentInput.PathOf(HttpHeaderSecret.RelativePath)]);
            return new AgentPlanStep(AgentStep.Import, args, [target])
            {
                Input = new AgentInput([AgentInputFile.Secret(headerSecret, HttpHeaderSecret.Key, HttpHeaderSecret.RelativePath)]),
            };
        }

        var sourceDisk = AgentDisk.Source(context.SourcePvcName ?? source.Pvc!.Name, context.SourceMode);
        return new AgentPlanStep(AgentStep.Import, ["convert", sourceDisk.Path, target.Path, "--overwrite"], [sourceDisk, target]);
    }

    private static async Task<PhaseOutcome?> EnsureHeaderSecretAsync(GoldenImageContext context, string userSecret, string derived, CancellationToken ct)
    {
        if (await context.Client.GetAsync<V1Secret>(derived, context.Namespace, ct).ConfigureAwait(false) is not null)
        {
            return null;
        }

        var secret = await context.Client.GetAsync<V1Secret>(userSecret, context.Namespace, ct).ConfigureAwait(false);
        if (secret is null)
        {
            return PhaseOutcome.Wait("SecretNotFound", $"Secret {context.Namespace}/{userSecret} named by spec.source.http.secretRef does not exist", TimeSpan.FromSeconds(context.Options.Clone.GoldenImagePollSeconds));
        }

        var (headers, problem) = HttpHeaderSecret.Render(secret);
        if (problem is not null)
        {
            return PhaseOutcome.Fail("InvalidSecret", $"Secret {userSecret}: {problem}");
        }

        try
        {
            await context.Client.CreateAsync(HttpHeaderSecret.Build(context.Entity, derived, headers!), ct).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsConflict)
        {
            // Made by an earlier pass.
        }

        return null;
    }
}
