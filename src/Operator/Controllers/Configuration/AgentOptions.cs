namespace Imprint.Operator.Controllers.Configuration;

/// <summary>How agent Jobs run: image, identity, placement, resources and retries (section <c>Imprint:Agent</c>).</summary>
public sealed class AgentOptions
{
    public string Image { get; set; } = "ghcr.io/imprint-dev/imprint-agent:0.1.0";

    public string ImagePullPolicy { get; set; } = "IfNotPresent";

    /// <summary>The agent needs no API access; its ServiceAccount exists so clusters can bind PSA/SCC policies to it.</summary>
    public string ServiceAccountName { get; set; } = "imprint-agent";

    public Dictionary<string, string> NodeSelector { get; set; } = [];

    public List<TolerationOption> Tolerations { get; set; } = [];

    public ResourceOptions Resources { get; set; } = new();

    /// <summary>
    /// Whether agent Jobs request <c>/dev/kvm</c> as KubeVirt's extended resource <c>devices.kubevirt.io/kvm</c>:
    /// true always, false never, null (auto) when every node the Jobs may land on exposes it. Without it the agent runs
    /// its appliance VM under TCG; it probes /dev/kvm itself, so the Job needs nothing else either way.
    /// </summary>
    public bool? RequestKvm { get; set; }

    /// <summary>UID/GID the agent runs as; fsGroup makes the PVC writable for it on most CSI drivers.</summary>
    public long RunAsUser { get; set; } = 65532;

    /// <summary>How many times a failed step is retried (each retry starts again from the golden disk).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Delay before the first retry; doubled each time, capped at <see cref="RetryBackoffMaxSeconds"/>.</summary>
    public int RetryBackoffSeconds { get; set; } = 10;

    public int RetryBackoffMaxSeconds { get; set; } = 300;

    /// <summary>A Job running longer than this is killed by Kubernetes and counts as a failure.</summary>
    public long ActiveDeadlineSeconds { get; set; } = 3600;

    /// <summary>How often a running step's progress is read from its pod log.</summary>
    public int ProgressIntervalSeconds { get; set; } = 5;

    public string? PriorityClassName { get; set; }

    /// <summary>
    /// Run a disk's steps that can share a pod as one Job (<c>imprint run</c> with a plan): copy + customize + grow
    /// for a clone, import + inspect + seal + fingerprint for a golden. False runs every step as its own Job (the
    /// behaviour before plans; kept for comparison in the benchmarks).
    /// </summary>
    public bool OneJobPerDisk { get; set; } = true;
}
