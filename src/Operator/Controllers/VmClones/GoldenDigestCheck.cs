using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.GoldenImages;
using Imprint.Operator.Controllers.Phases;
using Imprint.Operator.Manifests;

namespace Imprint.Operator.Controllers.VmClones;

/// <summary>
/// The clone side of the golden's tamper evidence: a golden already marked changed stops a clone up front, and a copy
/// Job whose hash of the golden did not match the sealed digest marks the golden changed and fails the clone — no
/// retry, since every retry would copy the same changed bytes.
/// </summary>
[EntityRbac(typeof(V1Alpha1GoldenImage), Subresource = "status", Verbs = RbacVerb.Get | RbacVerb.Update)]
public static class GoldenDigestCheck
{
    /// <summary>The clone's failure when its golden is known to have changed since it was sealed; null otherwise.</summary>
    public static PhaseOutcome? StopIfGoldenChanged(V1Alpha1GoldenImage golden, string reference) =>
        golden.Status?.DigestMismatch is { } why
            ? PhaseOutcome.Fail(GoldenImageIntegrity.Changed, $"GoldenImage {reference} {why}")
            : null;

    /// <summary>When <paramref name="observation"/> is a digest mismatch: marks the golden and returns the clone's failure.</summary>
    public static async Task<PhaseOutcome?> StopOnMismatchAsync(VmCloneContext context, AgentJobObservation observation, string jobName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!GoldenImageIntegrity.IsMismatch(observation))
        {
            return null;
        }

        var goldenName = context.Entity.Spec.GoldenImage.Name;
        var message = await GoldenImageIntegrity.ReportAsync(
            context.Client, context.Events, context.GoldenNamespace, goldenName, observation.FailureMessage!,
            $"Job {jobName} copying it for VmClone {context.Namespace}/{context.Name}", context.Now, cancellationToken, context.Status.GoldenImageRevision).ConfigureAwait(false);
        return PhaseOutcome.Fail(GoldenImageIntegrity.Changed, $"GoldenImage {context.GoldenNamespace}/{goldenName} {message}");
    }
}
