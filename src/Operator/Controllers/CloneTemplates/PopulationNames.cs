using Imprint.Operator.Apis;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using k8s.Models;

namespace Imprint.Operator.Controllers.CloneTemplates;

/// <summary>Which claims the populator serves, and the names of what it makes for one (deterministic, so a restart finds them).</summary>
public static class PopulationNames
{
    /// <summary>Label on the VmClone naming the claim it populates (<c>kubectl get vmclones -L imprint.dev/claim</c>).</summary>
    public const string ClaimLabel = "imprint.dev/claim";

    /// <summary>Annotation on the claim naming the VmClone that holds its results.</summary>
    public const string VmCloneAnnotation = "imprint.dev/vmclone";

    /// <summary>The template a claim names in spec.dataSourceRef, or null when it names something else (or nothing).</summary>
    public static string? TemplateOf(V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var source = claim.Spec?.DataSourceRef;
        return source is not null && source.ApiGroup == ImprintApi.Group && source.Kind == V1Alpha1CloneTemplate.KindName
            && string.IsNullOrEmpty(source.NamespaceProperty) && !string.IsNullOrEmpty(source.Name)
            ? source.Name
            : null;
    }

    /// <summary>The prime claim, as lib-volume-populator names it: <c>prime-&lt;claim uid&gt;</c>.</summary>
    public static string Prime(V1PersistentVolumeClaim claim) => $"prime-{claim.Metadata.Uid}";

    /// <summary>The VmClone that does the work and keeps the results: <c>&lt;claim&gt;-&lt;8 chars of its uid&gt;</c>.</summary>
    public static string VmClone(V1PersistentVolumeClaim claim)
    {
        var name = claim.Metadata.Name!;
        var suffix = "-" + claim.Metadata.Uid![..8];
        return (name.Length + suffix.Length <= 253 ? name : name[..(253 - suffix.Length)].TrimEnd('-', '.')) + suffix;
    }

    public static string LabelValue(string claimName) => AgentLabels.LabelValue(claimName);
}
