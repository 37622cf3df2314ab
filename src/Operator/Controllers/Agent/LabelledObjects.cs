using Imprint.Operator.Kubernetes;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Controllers.Agent;

/// <summary>Deletes the objects of one kind in a namespace that a label selector picks (Jobs take their pods along).</summary>
public static class LabelledObjects
{
    public static async Task DeleteAsync<T>(IKubernetesClient client, string ns, string labelSelector, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var list = await client.ListAsync<T>(ns, new ListOptions { LabelSelector = labelSelector }, cancellationToken).ConfigureAwait(false);
        foreach (var item in list.Items)
        {
            await client.DeleteAsync<T>(item.Metadata.Name!, ns, PropagationPolicy.Background, cancellationToken).ConfigureAwait(false);
        }
    }
}
