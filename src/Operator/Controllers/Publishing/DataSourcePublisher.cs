using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Cdi;
using Imprint.Operator.Manifests;
using Imprint.Operator.Runtime.Events;
using Imprint.Operator.Runtime.Informers;
using k8s.Models;

namespace Imprint.Operator.Controllers.Publishing;

/// <summary>
/// Keeps the CDI DataSource named by a GoldenImage's spec.publish.dataSource pointing at its sealed PVC, so KubeVirt
/// tooling (<c>virtctl create vm --volume-datasource</c>, DataVolume <c>sourceRef</c>, OpenShift templates) uses the
/// golden disk unchanged. A step after the build phases, not one of them: it never holds the image back from Ready.
/// <para>
/// Ownership is an ownerReference (controller) to the GoldenImage, not a finalizer: the DataSource lives in the
/// image's namespace, so the garbage collector removes it with the image even while the operator is down or after
/// CDI was uninstalled, and a finalizer would only add a way for the image's deletion to hang. Removing the field (or
/// renaming the DataSource) deletes the ones this image controls; a DataSource of that name the image does not own is
/// never touched (DataSourceNameTaken).
/// </para>
/// <para>
/// DataSources are read with <see cref="CachedReader"/>, which falls back to the API server: no informer is started
/// for a kind that may not be served. When it is not (CDI absent) the condition DataSourcePublished is False with
/// reason CdiNotInstalled, one Warning event says so, and the image is looked at again after
/// <c>Clone.PublishRecheckSeconds</c>; nothing else changes.
/// </para>
/// </summary>
[GenericRbac(Groups = [V1Beta1DataSource.Group], Resources = ["datasources"], Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Create | RbacVerb.Patch | RbacVerb.Delete)]
public sealed class DataSourcePublisher(IKubernetesClient client, CachedReader reader, IEventRecorder events)
{
    public const string ConditionType = "DataSourcePublished";
    public const string Published = "Published";
    public const string CdiNotInstalled = "CdiNotInstalled";
    public const string GoldenImageNotReady = "GoldenImageNotReady";
    public const string DataSourceNameTaken = "DataSourceNameTaken";

    /// <summary>Brings the DataSource in line with spec and status; returns when to look again, or null when nothing needs it.</summary>
    public async Task<TimeSpan?> ReconcileAsync(V1Alpha1GoldenImage golden, V1Alpha1GoldenImage.GoldenImageStatus status, TimeSpan recheck, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(golden);
        ArgumentNullException.ThrowIfNull(status);
        var wanted = golden.Spec.Publish?.DataSource?.Name;
        if (wanted is null && status.DataSource is null && Conditions.Find(status.Conditions, ConditionType) is null)
        {
            return null; // never asked to publish: not a single API call
        }

        var ns = golden.Metadata.NamespaceProperty;
        var generation = golden.Metadata.Generation;
        IReadOnlyList<V1Beta1DataSource> owned;
        try
        {
            owned = await OwnedAsync(golden, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            status.DataSource = null;
            if (wanted is null)
            {
                Conditions.Remove(status.Conditions, ConditionType);
                return null;
            }

            if (Conditions.Find(status.Conditions, ConditionType)?.Reason != CdiNotInstalled)
            {
                events.Record(golden, EventType.Warning, CdiNotInstalled, $"spec.publish.dataSource asks for DataSource {wanted}, but the cluster does not serve cdi.kubevirt.io/v1beta1 DataSources (CDI is not installed); checked again every {recheck.TotalSeconds:0} s");
            }

            status.Conditions = Conditions.Set(status.Conditions, ConditionType, ConditionStatus.False, CdiNotInstalled,
                $"the cluster does not serve cdi.kubevirt.io/v1beta1 DataSources (install CDI to publish {wanted}); checked again every {recheck.TotalSeconds:0} s", generation, now);
            return recheck;
        }

        foreach (var stale in owned.Where(d => d.Metadata.Name != wanted))
        {
            await client.DeleteAsync<V1Beta1DataSource>(stale.Metadata.Name, ns, PropagationPolicy.Background, cancellationToken).ConfigureAwait(false);
            events.Record(golden, EventType.Normal, "DataSourceRemoved", $"removed DataSource {stale.Metadata.Name}: spec.publish.dataSource no longer names it");
        }

        if (wanted is null)
        {
            status.DataSource = null;
            Conditions.Remove(status.Conditions, ConditionType);
            return null;
        }

        if (status.Phase != GoldenImagePhase.Ready || status.Pvc is null)
        {
            status.Conditions = Conditions.Set(status.Conditions, ConditionType, ConditionStatus.False, GoldenImageNotReady,
                $"DataSource {wanted} is published once the golden disk is Ready", generation, now);
            return null;
        }

        var claim = new V1Beta1DataSourceReference { Name = status.Pvc.Name, Namespace = status.Pvc.Namespace ?? ns! };
        var existing = owned.FirstOrDefault(d => d.Metadata.Name == wanted)
            ?? await reader.GetAsync<V1Beta1DataSource>(wanted, ns, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            try
            {
                await client.CreateAsync(NewDataSource(golden, wanted, claim), cancellationToken).ConfigureAwait(false);
                events.Record(golden, EventType.Normal, "DataSourcePublished", $"created DataSource {wanted} pointing at PVC {claim.Namespace}/{claim.Name}");
            }
            catch (KubernetesApiException e) when (e.IsConflict)
            {
                return TimeSpan.FromSeconds(1); // someone made one of that name just now: look at whose it is
            }
        }
        else if (!IsControlledBy(existing, golden))
        {
            if (Conditions.Find(status.Conditions, ConditionType)?.Reason != DataSourceNameTaken)
            {
                events.Record(golden, EventType.Warning, DataSourceNameTaken, $"DataSource {wanted} exists and is not owned by this GoldenImage; it is left as it is");
            }

            status.DataSource = null;
            status.Conditions = Conditions.Set(status.Conditions, ConditionType, ConditionStatus.False, DataSourceNameTaken,
                $"DataSource {wanted} exists and is not owned by this GoldenImage; choose another name or delete it", generation, now);
            return recheck;
        }
        else if (!PointsAt(existing, claim))
        {
            var previous = existing.Spec.Source.Pvc is { } p ? $"PVC {p.Namespace}/{p.Name}" : "something else";
            await client.PatchAsync<V1Beta1DataSource>(wanted, ns, SourcePatch(claim), cancellationToken).ConfigureAwait(false);
            events.Record(golden, EventType.Normal, "DataSourceUpdated", $"DataSource {wanted} now points at PVC {claim.Namespace}/{claim.Name} (was {previous})");
        }

        status.DataSource = new LocalObjectReference { Name = wanted };
        status.Conditions = Conditions.Set(status.Conditions, ConditionType, ConditionStatus.True, Published,
            $"DataSource {wanted} points at PVC {claim.Namespace}/{claim.Name}", generation, now);
        return recheck;
    }

    private async Task<IReadOnlyList<V1Beta1DataSource>> OwnedAsync(V1Alpha1GoldenImage golden, CancellationToken cancellationToken)
    {
        if (reader.CachedByOwner<V1Beta1DataSource>(golden.Metadata.Uid!) is { } cached)
        {
            return cached;
        }

        var selector = AgentLabels.SelectorFor(V1Alpha1GoldenImage.KindName, golden.Metadata.Name!);
        var list = await client.ListAsync<V1Beta1DataSource>(golden.Metadata.NamespaceProperty, new ListOptions { LabelSelector = selector }, cancellationToken).ConfigureAwait(false);
        return [.. list.Items.Where(d => IsControlledBy(d, golden))];
    }

    private static bool IsControlledBy(V1Beta1DataSource dataSource, V1Alpha1GoldenImage golden) =>
        dataSource.Metadata.OwnerReferences?.Any(r => r.Controller == true && r.Uid == golden.Metadata.Uid) == true;

    private static bool PointsAt(V1Beta1DataSource dataSource, V1Beta1DataSourceReference claim) =>
        dataSource.Spec.Source is { Snapshot: null, DataSource: null, Pvc: { } pvc } && pvc.Name == claim.Name && pvc.Namespace == claim.Namespace;

    private static JsonObject SourcePatch(V1Beta1DataSourceReference claim) => new()
    {
        ["spec"] = new JsonObject
        {
            ["source"] = new JsonObject
            {
                ["pvc"] = new JsonObject { ["name"] = claim.Name, ["namespace"] = claim.Namespace },
                ["snapshot"] = null,
                ["dataSource"] = null,
            },
        },
    };

    private static V1Beta1DataSource NewDataSource(V1Alpha1GoldenImage golden, string name, V1Beta1DataSourceReference claim) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = golden.Metadata.NamespaceProperty,
            Labels = AgentLabels.OwnedBy(golden, "data-source"),
            OwnerReferences = [AgentJobBuilder.OwnerReference(golden)],
        },
        Spec = new V1Beta1DataSourceSpec { Source = new V1Beta1DataSourceSource { Pvc = claim } },
    };
}
