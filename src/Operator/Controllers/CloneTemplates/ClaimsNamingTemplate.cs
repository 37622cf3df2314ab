using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Storage;
using Imprint.Operator.Runtime;
using Imprint.Operator.Runtime.Informers;
using Imprint.Operator.Runtime.Watching;
using k8s.Models;

namespace Imprint.Operator.Controllers.CloneTemplates;

/// <summary>
/// Which claims a CloneTemplate change concerns: the unbound claims of its namespace whose spec.dataSourceRef names
/// it, read from the shared claim cache (no API call). A claim that waits for its template is woken by the template's
/// creation instead of its next poll; a change of the template's spec or its deletion reaches them too, so their
/// Events say what is true now. Status-only writes (the template controller's) wake nobody.
/// </summary>
public static class ClaimsNamingTemplate
{
    public static Func<InformerEvent<V1Alpha1CloneTemplate>, IEnumerable<EntityKey>> Map(IInformerCache<V1PersistentVolumeClaim> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return change =>
        {
            if (change.Type == EntityEventType.Modified && change.Previous is { } previous
                && previous.Metadata.Generation == change.Object.Metadata.Generation
                && (previous.Metadata.DeletionTimestamp is null) == (change.Object.Metadata.DeletionTimestamp is null))
            {
                return [];
            }

            var ns = change.Object.Metadata.NamespaceProperty;
            var name = change.Object.Metadata.Name;
            return ns is null || name is null
                ? []
                : [.. claims.List(ns)
                    .Where(c => PopulationNames.TemplateOf(c) == name && !StorageClasses.IsBound(c) && c.Metadata.DeletionTimestamp is null)
                    .Select(EntityKey.Of)];
        };
    }
}
