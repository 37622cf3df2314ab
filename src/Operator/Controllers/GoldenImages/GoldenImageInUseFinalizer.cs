using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.VmClones;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Events;
using Imprint.Operator.Runtime.Finalizers;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>
/// <c>imprint.dev/in-use-protection</c>: deleting a GoldenImage is DEFERRED (not refused) while VmClones are still
/// copying from it — refusing would need an admission webhook, and a GitOps prune would keep retrying anyway. Ready
/// and Failed clones do not hold it: a finished clone owns an independent disk. Once no clone is in progress the
/// finalizer lets go, and the golden PVC and snapshot go with the image (garbage collection of owned objects).
/// </summary>
public sealed class GoldenImageInUseFinalizer(IKubernetesClient client, IEventRecorder events) : IEntityFinalizer<V1Alpha1GoldenImage>
{
    public const string Name = "imprint.dev/in-use-protection";

    public async Task FinalizeAsync(V1Alpha1GoldenImage entity, CancellationToken cancellationToken)
    {
        var users = new List<string>();
        string? next = null;
        do
        {
            var page = await client.ListAsync<V1Alpha1VmClone>(null, new ListOptions { Limit = 500, Continue = next }, cancellationToken).ConfigureAwait(false);
            users.AddRange(page.Items
                .Where(c => c.Metadata.DeletionTimestamp is null
                    && c.Spec.GoldenImage.Name == entity.Metadata.Name
                    && (c.Spec.GoldenImage.Namespace ?? c.Metadata.NamespaceProperty) == entity.Metadata.NamespaceProperty
                    // A clone the image is not shared with never copies from it; counting it would let anyone who
                    // can create a VmClone in any namespace keep the image from being deleted.
                    && WaitForGoldenImagePhase.Shares(entity, c.Metadata.NamespaceProperty!)
                    && c.Status?.Phase is not (VmClonePhase.Ready or VmClonePhase.Failed))
                .Select(c => $"{c.Metadata.NamespaceProperty}/{c.Metadata.Name}"));
            next = page.Metadata.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(next));

        if (users.Count > 0)
        {
            var message = $"deletion deferred: {users.Count} VmClone(s) still copying from this image ({string.Join(", ", users.Take(5))})";
            events.Record(entity, EventType.Warning, "DeletionDeferred", message);
            throw new GoldenImageInUseException(message);
        }
    }
}
