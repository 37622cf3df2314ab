using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Phases;
using k8s.Models;

namespace Imprint.Operator.Controllers.VmClones;

/// <summary>
/// Pending: every Secret and ConfigMap key the customization names exists, before any Job is made (a missing one
/// is a clear condition, and the clone goes on by itself once it appears).
/// </summary>
public sealed class ValidateClonePhase : IPhase<VmCloneContext, VmClonePhase>
{
    public VmClonePhase Phase => VmClonePhase.Pending;

    public async Task<PhaseOutcome> RunAsync(VmCloneContext context, CancellationToken cancellationToken)
    {
        // Secrets are not watched: the clone looks again on the same poll as a missing GoldenImage (Clone.GoldenImagePollSeconds).
        var recheckAfter = TimeSpan.FromSeconds(context.Options.Clone.GoldenImagePollSeconds);
        foreach (var (kind, reference, field) in CloneInputs.References(context.Entity.Spec.Customize))
        {
            var keys = kind == CloneInputKind.Secret
                ? (await context.Client.GetAsync<V1Secret>(reference.Name, context.Namespace, cancellationToken).ConfigureAwait(false))?.Data?.Keys
                : await ConfigMapKeysAsync(context, reference.Name, cancellationToken).ConfigureAwait(false);
            if (keys is null)
            {
                return PhaseOutcome.Wait($"{kind}NotFound", $"{kind} {context.Namespace}/{reference.Name} named by {field} does not exist", recheckAfter);
            }

            if (!keys.Contains(reference.Key))
            {
                return PhaseOutcome.Wait($"{kind}KeyNotFound", $"{kind} {context.Namespace}/{reference.Name} has no key '{reference.Key}' (named by {field})", recheckAfter);
            }
        }

        return PhaseOutcome.Done;
    }

    private static async Task<ICollection<string>?> ConfigMapKeysAsync(VmCloneContext context, string name, CancellationToken ct)
    {
        var configMap = await context.Client.GetAsync<V1ConfigMap>(name, context.Namespace, ct).ConfigureAwait(false);
        if (configMap is null)
        {
            return null;
        }

        return [.. configMap.Data?.Keys ?? [], .. configMap.BinaryData?.Keys ?? []];
    }
}
