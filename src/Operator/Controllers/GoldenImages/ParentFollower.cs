using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Imprint.Operator.Apis;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Snapshots;
using Imprint.Operator.Manifests;
using Imprint.Operator.Runtime.Events;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>
/// spec.updatePolicy.followParent on a Ready derived golden: when the parent's current revision (or, for a parent
/// without revisions, its digest) is no longer the one status.parent records, the image is built again from the new
/// one as its next revision. The build is a GoldenImage of its own (&lt;name&gt;-r&lt;N&gt;, owned by this one, the
/// same spec pinned to the parent's new revision), so it runs every phase exactly as the first build did while the
/// current revision keeps serving clones. Once it is Ready its claim becomes this image's and the next revision
/// current (status.pvc, digest, fingerprint, parent, ... describe it); the earlier claim stays, listed in
/// status.revisions. A failed build leaves the current revision serving, Degraded with the reason, until the build
/// object is deleted (which retries) or the parent moves on.
/// </summary>
[EntityRbac(typeof(V1Alpha1GoldenImage), Verbs = RbacVerb.Create | RbacVerb.Delete)]
[GenericRbac(Groups = ["snapshot.storage.k8s.io"], Resources = ["volumesnapshots"], Verbs = RbacVerb.Delete)]
public static class ParentFollower
{
    /// <summary>Label on a revision build: the derived golden it builds for.</summary>
    public const string RevisionOfLabel = "imprint.dev/revision-of";

    public const string RevisionFailed = "RevisionFailed";

    /// <summary>Follows the parent; returns when to look again (null: not following).</summary>
    public static async Task<TimeSpan?> ReconcileAsync(GoldenImageContext context, CancellationToken ct)
    {
        var entity = context.Entity;
        var status = context.Status;
        if (entity.Spec.UpdatePolicy?.FollowParent != true || entity.Spec.Source.GoldenImage is not { Revision: null } reference
            || status.Parent is not [var builtFrom, ..])
        {
            return null;
        }

        var poll = TimeSpan.FromSeconds(context.Options.Clone.GoldenImagePollSeconds);
        var next = NextRevision(status);
        var buildName = BuildName(context.Name, next);
        var build = await context.Reader.GetAsync<V1Alpha1GoldenImage>(buildName, context.Namespace, ct).ConfigureAwait(false);
        if (build is not null && build.Metadata.OwnerReferences?.Any(r => r.Uid == entity.Metadata.Uid) != true)
        {
            Degrade(context, RevisionFailed, $"GoldenImage {context.Namespace}/{buildName} exists and does not belong to this image; revision {next} cannot be built");
            return poll;
        }

        if (build is null)
        {
            var parent = await context.Reader.GetAsync<V1Alpha1GoldenImage>(reference.Name, reference.Namespace ?? context.Namespace, ct).ConfigureAwait(false);
            if (parent is null || !ParentRevisionChoice.Moved(parent, builtFrom))
            {
                return poll;
            }

            var from = parent.Status!.CurrentRevision ?? parent.Status.Digest;
            await context.Client.CreateAsync(Build(entity, buildName, parent.Status.CurrentRevision), ct).ConfigureAwait(false);
            context.Events.Record(entity, EventType.Normal, "ParentUpdated",
                $"parent GoldenImage {parent.Metadata.NamespaceProperty}/{parent.Metadata.Name} is now at {from}; building revision {next} from it (GoldenImage {buildName}) while {Current(status)} keeps serving");
            Building(context, next, buildName, null);
            return poll;
        }

        switch (build.Status?.Phase)
        {
            case GoldenImagePhase.Ready when build.Status.Pvc is { } claim:
                await AdoptAsync(context, build, claim.Name, next, ct).ConfigureAwait(false);
                return poll;
            case GoldenImagePhase.Failed:
                var why = $"revision {next} (GoldenImage {buildName}) failed: {build.Status.Reason}: {build.Status.Message}; {Current(status)} keeps serving. Delete GoldenImage {buildName} to try again";
                if (Conditions.Find(status.Conditions, ConditionTypes.Degraded) is not { Status: ConditionStatus.True, Reason: RevisionFailed })
                {
                    context.Events.Record(entity, EventType.Warning, RevisionFailed, why);
                }

                Degrade(context, RevisionFailed, why);
                return poll;
            default:
                Building(context, next, buildName, build.Status?.Pvc?.Name);
                return poll;
        }
    }

    /// <summary>The build object of revision <paramref name="revision"/>.</summary>
    public static string BuildName(string golden, string revision) => $"{golden}-{revision}";

    /// <summary>The same spec, pinned to the parent's current revision, without what only the followed image does (updates, sharing, publishing, snapshots).</summary>
    public static V1Alpha1GoldenImage Build(V1Alpha1GoldenImage entity, string name, string? parentRevision)
    {
        var json = ImprintJsonContext.Default.V1Alpha1GoldenImage;
        var spec = JsonSerializer.Deserialize(JsonSerializer.Serialize(entity, json), json)!.Spec;
        spec.Source.GoldenImage!.Revision = parentRevision;
        spec.UpdatePolicy = null;
        spec.Sharing = null;
        spec.Publish = null;
        spec.Snapshot = null;
        var labels = AgentLabels.OwnedBy(entity);
        labels[RevisionOfLabel] = AgentLabels.LabelValue(entity.Metadata.Name!);
        return new V1Alpha1GoldenImage
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = entity.Metadata.NamespaceProperty, Labels = labels, OwnerReferences = [AgentJobBuilder.OwnerReference(entity)] },
            Spec = spec,
        };
    }

    /// <summary>The revision being built (listed, not ready), else r&lt;N+1&gt; after the highest ready one (r1 when none is recorded).</summary>
    public static string NextRevision(V1Alpha1GoldenImage.GoldenImageStatus status)
    {
        if (status.Revisions?.FirstOrDefault(r => r.Ready != true) is { } building)
        {
            return building.Name;
        }

        var highest = (status.Revisions ?? []).Select(r => r.Name).Append(status.CurrentRevision ?? "r1")
            .Select(n => int.TryParse(n.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? k : 1).Max();
        return string.Create(CultureInfo.InvariantCulture, $"r{highest + 1}");
    }

    private static string Current(V1Alpha1GoldenImage.GoldenImageStatus status) => $"revision {status.CurrentRevision ?? "r1"} (PVC {status.Pvc?.Name})";

    private static void Building(GoldenImageContext context, string next, string buildName, string? claim)
    {
        var status = context.Status;
        var revisions = RevisionsWithCurrent(status);
        if (!revisions.Any(r => r.Name == next))
        {
            revisions.Add(new GoldenImageRevision { Name = next, Claim = claim ?? GoldenImagePvc.DefaultName(buildName), Created = context.Now, Ready = false });
        }

        status.Revisions = revisions;
        status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Progressing, ConditionStatus.True, "BuildingRevision",
            $"building revision {next} from the parent's new revision (GoldenImage {buildName}); {Current(status)} keeps serving", context.Entity.Metadata.Generation, context.Now);
    }

    private static void Degrade(GoldenImageContext context, string reason, string message) =>
        context.Status.Conditions = Conditions.Set(context.Status.Conditions, ConditionTypes.Degraded, ConditionStatus.True, reason, message, context.Entity.Metadata.Generation, context.Now);

    /// <summary>The recorded revisions, with the current one listed (an image built before revisions has none recorded).</summary>
    private static List<GoldenImageRevision> RevisionsWithCurrent(V1Alpha1GoldenImage.GoldenImageStatus status)
    {
        var revisions = status.Revisions?.ToList() ?? [];
        var current = status.CurrentRevision ?? "r1";
        if (!revisions.Any(r => r.Name == current) && status.Pvc is { } pvc)
        {
            revisions.Insert(0, new GoldenImageRevision
            {
                Name = current,
                Claim = pvc.Name,
                Digest = status.Digest,
                VirtualSize = status.VirtualSize,
                Fingerprint = status.Fingerprint,
                Created = status.StartTime,
                Ready = true,
            });
        }

        status.CurrentRevision = current;
        return revisions;
    }

    /// <summary>
    /// The build is Ready: its claim becomes this image's (ownerReference moved first, so deleting the build leaves it),
    /// the new revision current, and the build object goes. A snapshot of the earlier revision is dropped for a new one.
    /// </summary>
    private static async Task AdoptAsync(GoldenImageContext context, V1Alpha1GoldenImage build, string claim, string next, CancellationToken ct)
    {
        var entity = context.Entity;
        var owner = JsonNode.Parse(KubernetesJson.Serialize(AgentJobBuilder.OwnerReference(entity)));
        await context.Client.PatchAsync<V1PersistentVolumeClaim>(claim, context.Namespace,
            new JsonObject { ["metadata"] = new JsonObject { ["ownerReferences"] = new JsonArray(owner) } }, ct).ConfigureAwait(false);

        var status = context.Status;
        var built = build.Status!;
        var revisions = RevisionsWithCurrent(status);
        revisions.RemoveAll(r => r.Name == next);
        revisions.Add(new GoldenImageRevision
        {
            Name = next,
            Claim = claim,
            Digest = built.Digest,
            VirtualSize = built.VirtualSize,
            Fingerprint = built.Fingerprint,
            Created = built.StartTime,
            Ready = true,
        });
        var previous = Current(status);
        status.Revisions = revisions;
        status.CurrentRevision = next;
        status.Pvc = new NamespacedObjectReference { Name = claim, Namespace = context.Namespace };
        status.Digest = built.Digest;
        status.DigestMismatch = null;
        status.Fingerprint = built.Fingerprint;
        status.VirtualSize = built.VirtualSize;
        status.Size = built.Size;
        status.MinimumSize = built.MinimumSize;
        status.Inspection = built.Inspection;
        status.Engine = built.Engine;
        status.SealedOperations = built.SealedOperations;
        status.Parent = built.Parent;
        if (status.Snapshot is { } snapshot)
        {
            await context.Client.DeleteAsync<V1VolumeSnapshot>(snapshot.Name, context.Namespace, PropagationPolicy.Background, ct).ConfigureAwait(false);
            status.Snapshot = null;
        }

        status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Progressing, ConditionStatus.False, "Ready", $"revision {next} is current", entity.Metadata.Generation, context.Now);
        if (Conditions.Find(status.Conditions, ConditionTypes.Degraded) is { Reason: RevisionFailed })
        {
            status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Degraded, ConditionStatus.False, "Ready", "", entity.Metadata.Generation, context.Now);
        }

        await context.Client.DeleteAsync<V1Alpha1GoldenImage>(build.Metadata.Name!, context.Namespace, PropagationPolicy.Background, ct).ConfigureAwait(false);
        context.Events.Record(entity, EventType.Normal, "RevisionReady",
            $"revision {next} built from the parent's {built.Parent?.FirstOrDefault()?.Revision ?? built.Parent?.FirstOrDefault()?.Digest} is current (PVC {claim}); {previous} stays listed in status.revisions");
    }
}
