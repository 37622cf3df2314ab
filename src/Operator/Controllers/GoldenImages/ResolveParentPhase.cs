using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Phases;
using Imprint.Operator.Controllers.VmClones;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>
/// Pending, for a derived golden (spec.source.goldenImage): the chain of parents has no cycle and is at most
/// <see cref="V1Alpha1GoldenImage.ParentChainLimit"/> long, and the parent exists, shares itself with this namespace
/// (the same rule a VmClone obeys) and is Ready. A missing, unshared or unready parent is a wait — it may appear, be
/// shared or finish later; a cycle is a failure, since spec.source is immutable.
/// </summary>
public sealed class ResolveParentPhase : IPhase<GoldenImageContext, GoldenImagePhase>
{
    public GoldenImagePhase Phase => GoldenImagePhase.Pending;

    public async Task<PhaseOutcome> RunAsync(GoldenImageContext context, CancellationToken cancellationToken)
    {
        if (context.Entity.Spec.Source.GoldenImage is not { } reference)
        {
            return PhaseOutcome.Done;
        }

        var poll = TimeSpan.FromSeconds(context.Options.Clone.GoldenImagePollSeconds);
        var parentNamespace = reference.Namespace ?? context.Namespace;
        var name = $"{parentNamespace}/{reference.Name}";
        var parent = await context.Reader.GetAsync<V1Alpha1GoldenImage>(reference.Name, parentNamespace, cancellationToken).ConfigureAwait(false);
        if (parent is null)
        {
            return PhaseOutcome.Wait("ParentNotFound", $"parent GoldenImage {name} (spec.source.goldenImage) does not exist", poll);
        }

        if (await FindCycleAsync(context, parent, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        if (!WaitForGoldenImagePhase.Shares(parent, context.Namespace))
        {
            return PhaseOutcome.Wait("ParentNotShared",
                $"parent GoldenImage {name} does not share itself with namespace {context.Namespace} (its spec.sharing.namespaces must list it or \"*\")", poll);
        }

        if (parent.Status?.Phase != GoldenImagePhase.Ready || parent.Status.Pvc is null || parent.Status.VirtualSize is null)
        {
            return PhaseOutcome.Wait("ParentNotReady", $"parent GoldenImage {name} is {parent.Status?.Phase?.ToString() ?? "Pending"}; this image is built once it is Ready", poll);
        }

        if (GoldenDigestCheck.StopIfGoldenChanged(parent, name) is { } changed)
        {
            return PhaseOutcome.Wait("ParentChanged", $"{changed.Message}; this image waits for a parent that can be trusted", poll);
        }

        if (ParentRevisionChoice.Of(parent, reference.Revision) is not { } chosen)
        {
            return PhaseOutcome.Wait("ParentRevisionNotFound", $"parent GoldenImage {name} has no ready revision {reference.Revision} (its status.revisions)", poll);
        }

        context.Parent = parent;
        context.ParentRevision = chosen;
        return PhaseOutcome.Done;
    }

    /// <summary>
    /// Follows spec.source.goldenImage from the parent upwards: reaching this image again is a cycle, and a chain longer
    /// than the limit is refused (status.parent could not hold it). An ancestor not found ends the walk: it cannot
    /// close a loop, and the parent waits for it itself.
    /// </summary>
    private static async Task<PhaseOutcome?> FindCycleAsync(GoldenImageContext context, V1Alpha1GoldenImage parent, CancellationToken ct)
    {
        var self = $"{context.Namespace}/{context.Name}";
        List<string> chain = [self];
        V1Alpha1GoldenImage? current = parent;
        while (current is not null)
        {
            var key = $"{current.Metadata.NamespaceProperty}/{current.Metadata.Name}";
            if (chain.Contains(key, StringComparer.Ordinal))
            {
                return PhaseOutcome.Fail("ParentCycle", $"spec.source.goldenImage makes a cycle: {string.Join(" -> ", chain)} -> {key}; a golden cannot be built from itself");
            }

            chain.Add(key);
            if (chain.Count - 1 > V1Alpha1GoldenImage.ParentChainLimit)
            {
                return PhaseOutcome.Fail("ParentChainTooDeep",
                    $"the chain of parents {string.Join(" -> ", chain)} is longer than {V1Alpha1GoldenImage.ParentChainLimit}; build from an image nearer the root");
            }

            if (current.Spec.Source.GoldenImage is not { } next)
            {
                return null;
            }

            current = await context.Reader.GetAsync<V1Alpha1GoldenImage>(next.Name, next.Namespace ?? current.Metadata.NamespaceProperty!, ct).ConfigureAwait(false);
        }

        return null;
    }
}
