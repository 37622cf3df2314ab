using System.Text.Json.Nodes;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>spec of a Pod (and of a Job's pod template).</summary>
public sealed class V1PodSpec
{
    public IList<V1Container> Containers { get; set; } = [];

    public IList<V1Container>? InitContainers { get; set; }

    public IList<V1Volume>? Volumes { get; set; }

    public string? RestartPolicy { get; set; }

    public IDictionary<string, string>? NodeSelector { get; set; }

    public string? NodeName { get; set; }

    public IList<JsonObject>? Tolerations { get; set; }

    public JsonObject? Affinity { get; set; }

    public string? ServiceAccountName { get; set; }

    public bool? AutomountServiceAccountToken { get; set; }

    public V1PodSecurityContext? SecurityContext { get; set; }

    public string? PriorityClassName { get; set; }

    public long? TerminationGracePeriodSeconds { get; set; }
}
