using Imprint.Operator.Kubernetes;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Controllers.Agent;

/// <summary>Everything that decides one agent Job; <see cref="AgentJobBuilder.Build"/> turns it into the Job.</summary>
public sealed record AgentJobRequest
{
    /// <summary>The GoldenImage or VmClone the Job works for (its controller owner).</summary>
    public required IKubernetesObject<V1ObjectMeta> Owner { get; init; }

    public required AgentStep Step { get; init; }

    public required int Attempt { get; init; }

    /// <summary>The subcommand and its arguments; the builder appends the result-file and progress options.</summary>
    public required IReadOnlyList<string> Args { get; init; }

    public IReadOnlyList<AgentDisk> Disks { get; init; } = [];

    public AgentInput? Input { get; init; }

    /// <summary>Namespace of the Job; the owner's unless a step must run next to a disk elsewhere (transfer source).</summary>
    public string? Namespace { get; init; }

    /// <summary>A name other than &lt;owner&gt;-&lt;step&gt;-a&lt;attempt&gt;, for Jobs in another namespace than the owner's.</summary>
    public string? NameOverride { get; init; }

    /// <summary>Annotations of the Job (a plan's steps and the disks it works on).</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public string Name => NameOverride ?? AgentJobNames.Job(Owner.Metadata.Name!, Step, Attempt);
}
