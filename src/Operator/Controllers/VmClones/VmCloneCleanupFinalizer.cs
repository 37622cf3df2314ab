using System.Text.Json;
using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Finalizers;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Controllers.VmClones;

/// <summary>
/// <c>imprint.dev/cleanup</c>: removes the clone's Jobs and input objects, and decides the disk's fate — Delete removes
/// the target PVC; Retain (the default) drops the PVC's ownerReference so garbage collection keeps it for the VM.
/// </summary>
public sealed class VmCloneCleanupFinalizer(IKubernetesClient client, ImprintOptions options) : IEntityFinalizer<V1Alpha1VmClone>
{
    public const string Name = "imprint.dev/cleanup";

    public async Task FinalizeAsync(V1Alpha1VmClone entity, CancellationToken cancellationToken)
    {
        var ns = entity.Metadata.NamespaceProperty!;
        await new AgentStepRunner(client, options.Agent).CleanupAsync(ns, V1Alpha1VmClone.KindName, entity.Metadata.Name!, cancellationToken).ConfigureAwait(false);
        if (entity.Spec.GoldenImage.Namespace is { } goldenNamespace && goldenNamespace != ns)
        {
            await TransferDisk.CleanupAsync(client, goldenNamespace, ns, entity.Metadata.Name!, cancellationToken).ConfigureAwait(false);
        }

        var pvcName = entity.Status?.Pvc?.Name ?? entity.Spec.Target?.PvcName ?? entity.Metadata.Name!;
        var claim = await client.GetAsync<V1PersistentVolumeClaim>(pvcName, ns, cancellationToken).ConfigureAwait(false);
        if (claim?.Metadata.OwnerReferences?.Any(r => r.Uid == entity.Metadata.Uid) != true)
        {
            return;
        }

        if ((entity.Spec.ReclaimPolicy ?? ReclaimPolicy.Retain) == ReclaimPolicy.Delete)
        {
            await client.DeleteAsync<V1PersistentVolumeClaim>(pvcName, ns, PropagationPolicy.Background, cancellationToken).ConfigureAwait(false);
            return;
        }

        var remaining = new JsonArray();
        foreach (var reference in claim.Metadata.OwnerReferences.Where(r => r.Uid != entity.Metadata.Uid))
        {
            // Whole references, so another owner keeps its controller and blockOwnerDeletion flags.
            remaining.Add(JsonNode.Parse(KubernetesJson.Serialize(reference)));
        }

        // A merge patch replaces the whole list; null removes the field when nothing else owns the claim.
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["ownerReferences"] = remaining.Count > 0 ? remaining : null } };
        await client.PatchAsync<V1PersistentVolumeClaim>(pvcName, ns, patch, cancellationToken).ConfigureAwait(false);
    }
}
