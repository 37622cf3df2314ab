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
        var source = context.Entity.Spec.Source;
        var target = context.TargetDisk;
        AgentJobRequest request;
        if (source.Http is { } http)
        {
            List<string> args = ["import", "--url", http.Url, "--checksum", http.Checksum, target.Path, "--overwrite"];
            AgentInput? input = null;
            if (http.SecretRef is { } secretRef)
            {
                var derived = HttpHeaderSecret.Name(context.Name, context.Attempt);
                var problem = await EnsureHeaderSecretAsync(context, secretRef.Name, derived, cancellationToken).ConfigureAwait(false);
                if (problem is not null)
                {
                    return problem;
                }

                input = new AgentInput([AgentInputFile.Secret(derived, HttpHeaderSecret.Key, HttpHeaderSecret.RelativePath)]);
                args.AddRange(["--header-file", AgentInput.PathOf(HttpHeaderSecret.RelativePath)]);
            }

            request = context.Request(AgentStep.Import, args, [target], input);
        }
        else
        {
            var sourceDisk = AgentDisk.Source(source.Pvc!.Name, context.SourceMode);
            request = context.Request(AgentStep.Import, ["convert", sourceDisk.Path, target.Path, "--overwrite"], [sourceDisk, target]);
        }

        var observation = await context.Steps.RunAsync(request, cancellationToken).ConfigureAwait(false);
        context.Progress = observation.Progress is { } p ? AgentOutput.Percent(p.Fraction) : context.Progress;
        return AgentStepOutcome.From(observation, request.Name, "Importing", "importing the disk",
            TimeSpan.FromSeconds(context.Options.Agent.ProgressIntervalSeconds));
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
