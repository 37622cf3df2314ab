using Imprint.Operator.Apis;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Manifests;
using Imprint.Operator.Runtime.Controllers;

namespace Imprint.Operator.Controllers.CloneTemplates;

/// <summary>
/// Reports whether a CloneTemplate can be rendered, without a webhook: every string of spec.customize is parsed, and
/// Ready=False (reason InvalidPlaceholder) names each field that does not parse or names an unknown placeholder. The
/// CRD's CEL rule refuses most of these at admission already; this also covers strings too long for a CEL rule
/// (file contents). status.placeholders lists what the template uses.
/// </summary>
[EntityRbac(typeof(V1Alpha1CloneTemplate), Subresource = "status", Verbs = RbacVerb.Get | RbacVerb.Update | RbacVerb.Patch)]
public sealed class CloneTemplateController(IKubernetesClient client, TimeProvider time) : IEntityController<V1Alpha1CloneTemplate>
{
    public async Task<ReconcileResult> ReconcileAsync(V1Alpha1CloneTemplate entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var before = entity.Status;
        var status = before is null ? new V1Alpha1CloneTemplate.CloneTemplateStatus() : StatusWriter.Copy(before, ImprintJsonContext.Default.CloneTemplateStatus);
        var errors = CloneTemplateRenderer.Validate(entity.Spec.Customize);
        var generation = entity.Metadata.Generation;
        status.Conditions = errors.Count == 0
            ? Conditions.Set(status.Conditions, ConditionTypes.Ready, ConditionStatus.True, "Valid", "every string parses; claims naming this template are populated", generation, time.GetUtcNow())
            : Conditions.Set(status.Conditions, ConditionTypes.Ready, ConditionStatus.False, "InvalidPlaceholder", string.Join("; ", errors), generation, time.GetUtcNow());
        var used = CloneTemplateRenderer.Placeholders(entity.Spec.Customize);
        status.Placeholders = used.Count > 0 ? [.. used.Take(32)] : null;
        status.ObservedGeneration = generation;
        return await StatusWriter.WriteIfChangedAsync(client, entity, before, status, ImprintJsonContext.Default.CloneTemplateStatus,
            (e, s) => e.Status = s, ReconcileResult.Success(), cancellationToken).ConfigureAwait(false);
    }

    public Task<ReconcileResult> DeletedAsync(V1Alpha1CloneTemplate entity, CancellationToken cancellationToken) =>
        Task.FromResult(ReconcileResult.Success());
}
