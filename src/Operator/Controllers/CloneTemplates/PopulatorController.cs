using System.Globalization;
using System.Text.Json.Nodes;
using Imprint.Operator.Apis;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Controllers.Storage;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Manifests;
using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Runtime.Events;
using Imprint.Operator.Runtime.Informers;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Controllers.CloneTemplates;

/// <summary>
/// The volume populator of CloneTemplate, after Kubernetes' lib-volume-populator: for a claim whose
/// spec.dataSourceRef names a CloneTemplate it renders the template for the claim and creates a VmClone owned by the
/// claim whose target is a prime claim (same class, size, access and volume mode; the selected node of a
/// WaitForFirstConsumer claim), so the whole VmClone pipeline — strategies, verification, customize, resize, retries
/// from the golden — makes the disk. When the VmClone is Ready, the prime claim's PersistentVolume is rebound to the
/// user's claim (claimRef), the PV controller binds the claim, and the prime claim is deleted: the claim is Bound only
/// to a finished disk. The VmClone stays as the per-claim record (host key fingerprints, machine-id, changes).
/// </summary>
[GenericRbac(Groups = [""], Resources = ["persistentvolumeclaims"], Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Create | RbacVerb.Delete | RbacVerb.Patch)]
[GenericRbac(Groups = [""], Resources = ["persistentvolumes"], Verbs = RbacVerb.Get | RbacVerb.Patch)]
[GenericRbac(Groups = ["cdi.kubevirt.io"], Resources = ["datavolumes"], Verbs = RbacVerb.Get)]
[EntityRbac(typeof(V1Alpha1CloneTemplate), Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch)]
[EntityRbac(typeof(V1Alpha1VmClone), Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Create | RbacVerb.Delete)]
public sealed class PopulatorController(
    IKubernetesClient client,
    IEventRecorder events,
    ImprintOptions options,
    SharedInformerFactory informers,
    ILogger<PopulatorController> logger) : IEntityController<V1PersistentVolumeClaim>
{
    public const string ControllerName = "populator";

    public async Task<ReconcileResult> ReconcileAsync(V1PersistentVolumeClaim entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (PopulationNames.TemplateOf(entity) is not { } templateName || entity.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Success();
        }

        // Items of a list carry no apiVersion/kind; Events and ownerReferences need them.
        entity.ApiVersion ??= "v1";
        entity.Kind ??= "PersistentVolumeClaim";
        var ns = entity.Metadata.NamespaceProperty!;
        var prime = PopulationNames.Prime(entity);
        var poll = TimeSpan.FromSeconds(options.Clone.GoldenImagePollSeconds);
        if (StorageClasses.IsBound(entity))
        {
            // Bound to the rebound volume: the prime claim no longer holds it and goes (a no-op when already gone).
            await client.DeleteAsync<V1PersistentVolumeClaim>(prime, ns, PropagationPolicy.Background, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Success();
        }

        var reader = new CachedReader(client, informers);
        var cloneName = PopulationNames.VmClone(entity);
        var clone = await reader.GetAsync<V1Alpha1VmClone>(cloneName, ns, cancellationToken).ConfigureAwait(false);
        if (clone is not null && clone.Metadata.OwnerReferences?.Any(r => r.Uid == entity.Metadata.Uid) != true)
        {
            events.Record(entity, EventType.Warning, "VmCloneConflict", $"VmClone {ns}/{cloneName} exists and does not belong to this claim; delete or rename it");
            return ReconcileResult.Requeue(poll);
        }

        if (clone is null)
        {
            return await StartAsync(entity, templateName, cloneName, prime, reader, poll, cancellationToken).ConfigureAwait(false);
        }

        var status = clone.Status;
        switch (status?.Phase)
        {
            case VmClonePhase.Ready:
                return await RebindAsync(entity, clone, prime, poll, cancellationToken).ConfigureAwait(false);
            case VmClonePhase.Failed:
                // The VmClone gave up (its own retries exhausted, or a permanent error): report it and start over
                // from the golden with a new VmClone once this one and its prime claim are gone.
                events.Record(entity, EventType.Warning, "PopulationFailed",
                    $"VmClone {cloneName} failed ({status.Reason}): {status.Message}; starting again from the golden image");
                await client.DeleteAsync<V1Alpha1VmClone>(cloneName, ns, PropagationPolicy.Background, cancellationToken).ConfigureAwait(false);
                return ReconcileResult.Requeue(poll);
            default:
                if (status?.NextRetryTime is not null && status.Message is { } why)
                {
                    events.Record(entity, EventType.Warning, "PopulationRetrying",
                        $"VmClone {cloneName}, {status.Phase}: {why} (retry {status.RetryCount} starts from the golden image)");
                }

                return ReconcileResult.Success();
        }
    }

    public Task<ReconcileResult> DeletedAsync(V1PersistentVolumeClaim entity, CancellationToken cancellationToken) =>
        Task.FromResult(ReconcileResult.Success());

    private async Task<ReconcileResult> StartAsync(V1PersistentVolumeClaim claim, string templateName, string cloneName, string prime,
        CachedReader reader, TimeSpan poll, CancellationToken ct)
    {
        var ns = claim.Metadata.NamespaceProperty!;
        var template = await reader.GetAsync<V1Alpha1CloneTemplate>(templateName, ns, ct).ConfigureAwait(false);
        if (template is null || template.Metadata.DeletionTimestamp is not null)
        {
            events.Record(claim, EventType.Warning, "CloneTemplateNotFound",
                $"waiting for CloneTemplate {ns}/{templateName}: it {(template is null ? "does not exist" : "is being deleted")}; the claim is populated once it exists");
            return ReconcileResult.Requeue(poll);
        }

        // WaitForFirstConsumer: the scheduler picks the node first and says so in the claim's selected-node annotation
        // (that change reconciles the claim again); the prime claim is then provisioned there.
        var selectedNode = claim.Metadata.Annotations?.TryGetValue(VolumeAnnotations.SelectedNode, out var node) == true ? node : null;
        if (selectedNode is null && await StorageClasses.WaitsForFirstConsumerAsync(client, claim, ct).ConfigureAwait(false))
        {
            return ReconcileResult.Success();
        }

        var values = await ClaimPlaceholders.ResolveAsync(client, claim, ct).ConfigureAwait(false);
        var (customize, errors) = CloneTemplateRenderer.Render(template.Spec.Customize, values);
        if (errors.Count > 0)
        {
            events.Record(claim, EventType.Warning, "TemplateNotRendered", $"CloneTemplate {templateName}: {string.Join("; ", errors)}");
            return ReconcileResult.Requeue(poll);
        }

        var storageClass = claim.Spec.StorageClassName
            ?? (await StorageClasses.ResolveAsync(client, null, ct).ConfigureAwait(false))?.Metadata.Name;
        var mode = claim.Spec.VolumeMode == "Block" ? VolumeMode.Block : VolumeMode.Filesystem;
        if (claim.Spec.Resources?.Requests?.TryGetValue("storage", out var request) != true || !DiskSizing.TryBytes(request, out var claimBytes))
        {
            events.Record(claim, EventType.Warning, "ClaimSizeMissing", "the claim requests no storage size");
            return ReconcileResult.Success();
        }

        var clone = new V1Alpha1VmClone
        {
            Metadata = new V1ObjectMeta
            {
                Name = cloneName,
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [PopulationNames.ClaimLabel] = PopulationNames.LabelValue(claim.Metadata.Name!),
                    [AgentLabels.ManagedBy] = AgentLabels.ManagedByValue,
                },
                Annotations = selectedNode is null ? null : new Dictionary<string, string>(StringComparer.Ordinal) { [VolumeAnnotations.SelectedNode] = selectedNode },
                OwnerReferences =
                [
                    // No blockOwnerDeletion: setting it needs update on persistentvolumeclaims/finalizers (the
                    // OwnerReferencesPermissionEnforcement admission), and nothing here needs the claim to wait.
                    new V1OwnerReference
                    {
                        ApiVersion = "v1", Kind = "PersistentVolumeClaim", Name = claim.Metadata.Name!, Uid = claim.Metadata.Uid!, Controller = true,
                    },
                ],
            },
            Spec = new V1Alpha1VmClone.VmCloneSpec
            {
                GoldenImage = new GoldenImageReference { Name = template.Spec.GoldenImage.Name, Namespace = template.Spec.GoldenImage.Namespace, Revision = template.Spec.GoldenImage.Revision },
                Strategy = template.Spec.Strategy,
                Resize = template.Spec.Resize,
                Customize = customize,
                // The prime claim goes with the VmClone if the user's claim is deleted before the rebind.
                ReclaimPolicy = ReclaimPolicy.Delete,
                Target = new CloneTarget
                {
                    PvcName = prime,
                    Size = DiskSizing.DiskBytesFor(claimBytes, mode, options.Clone.FilesystemOverhead),
                    StorageClassName = storageClass,
                    VolumeMode = mode,
                    AccessModes = claim.Spec.AccessModes is { Count: > 0 } modes
                        ? [.. modes.Select(m => Enum.Parse<PersistentVolumeAccessMode>(m))]
                        : null,
                },
            },
        };
        try
        {
            await client.CreateAsync(clone, ct).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.StatusCode is System.Net.HttpStatusCode.UnprocessableEntity)
        {
            // The rendered values are checked exactly as a VmClone's: by the VmClone schema on the API server.
            events.Record(claim, EventType.Warning, "RenderedSpecInvalid", $"CloneTemplate {templateName} rendered for this claim is not a valid VmClone: {e.Message}");
            return ReconcileResult.Requeue(poll);
        }
        catch (KubernetesApiException e) when (e.IsConflict)
        {
            return ReconcileResult.Requeue(poll);
        }

        var vm = values.VmName is null ? "" : $" for VirtualMachine {values.VmName} ({values.VmSource})";
        events.Record(claim, EventType.Normal, "Populating",
            $"populating from CloneTemplate {templateName} (GoldenImage {template.Spec.GoldenImage.Namespace ?? ns}/{template.Spec.GoldenImage.Name}){vm}: VmClone {cloneName} writes prime claim {prime}");
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [PopulationNames.VmCloneAnnotation] = cloneName } } };
        await client.PatchAsync<V1PersistentVolumeClaim>(claim.Metadata.Name!, ns, patch, ct).ConfigureAwait(false);
        logger.LogInformation("Populating claim {Namespace}/{Claim} from CloneTemplate {Template} through VmClone {VmClone}", ns, claim.Metadata.Name, templateName, cloneName);
        return ReconcileResult.Success();
    }

    private async Task<ReconcileResult> RebindAsync(V1PersistentVolumeClaim claim, V1Alpha1VmClone clone, string prime, TimeSpan poll, CancellationToken ct)
    {
        var ns = claim.Metadata.NamespaceProperty!;
        var primeClaim = await client.GetAsync<V1PersistentVolumeClaim>(prime, ns, ct).ConfigureAwait(false);
        if (primeClaim?.Spec.VolumeName is not { Length: > 0 } volumeName)
        {
            // Already rebound and deleted (the PV controller binds the claim next), or not bound yet: look again soon.
            return ReconcileResult.Requeue(poll);
        }

        var volume = await client.GetAsync<V1PersistentVolume>(volumeName, null, ct).ConfigureAwait(false);
        if (volume is null)
        {
            return ReconcileResult.Requeue(poll);
        }

        if (volume.Spec.ClaimRef?.Uid != claim.Metadata.Uid)
        {
            var patch = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["claimRef"] = new JsonObject
                    {
                        ["apiVersion"] = "v1",
                        ["kind"] = "PersistentVolumeClaim",
                        ["namespace"] = ns,
                        ["name"] = claim.Metadata.Name,
                        ["uid"] = claim.Metadata.Uid,
                        ["resourceVersion"] = null,
                    },
                },
            };
            await client.PatchAsync<V1PersistentVolume>(volumeName, null, patch, ct).ConfigureAwait(false);
            events.Record(claim, EventType.Normal, "Populated", Summary(clone, volumeName));
        }

        // The volume names the user's claim now; deleting the prime claim cannot release it (lib-volume-populator does the same).
        await client.DeleteAsync<V1PersistentVolumeClaim>(prime, ns, PropagationPolicy.Background, ct).ConfigureAwait(false);
        return ReconcileResult.Success();
    }

    private static string Summary(V1Alpha1VmClone clone, string volumeName)
    {
        var status = clone.Status!;
        var keys = string.Join(", ", (status.SshHostKeys ?? []).Select(k => $"{k.Type} {k.Fingerprint}"));
        var text = string.Create(CultureInfo.InvariantCulture,
            $"disk ready in PersistentVolume {volumeName} ({status.CloneStrategy}, {status.Engine}): hostname {clone.Spec.Customize?.Hostname ?? "(golden's)"}, "
            + $"machine-id {status.MachineId ?? "(golden's)"}, {status.Changes?.Count ?? 0} changes ({string.Join(", ", status.Changes?.Operations ?? [])}); "
            + $"SSH host keys: {(keys.Length > 0 ? keys : "(golden's)")}; full record: kubectl get vmclone {clone.Metadata.Name} -o yaml");
        return text.Length <= 1000 ? text : text[..997] + "...";
    }
}
