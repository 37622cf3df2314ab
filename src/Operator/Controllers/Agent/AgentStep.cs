namespace Imprint.Operator.Controllers.Agent;

/// <summary>The agent command a Job runs; the value is the <c>imprint.dev/step</c> label and part of the Job name.</summary>
public enum AgentStep
{
    Import,
    Inspect,
    Seal,
    Copy,
    Customize,
    Resize,
    Serve,

    /// <summary>Reads the source image's virtual size, to size the golden claim (<c>imprint fingerprint</c>).</summary>
    Measure,

    /// <summary>Records the sealed golden disk's fingerprint.</summary>
    Fingerprint,

    /// <summary>Records the digest of a golden disk that is not sealed (spec.seal.disabled; the seal step records it otherwise).</summary>
    Digest,

    /// <summary>Checks that a CSI-cloned or snapshot-restored claim holds the golden disk.</summary>
    Verify,

    /// <summary>Several steps on the same disks in one pod (<c>imprint run PLAN.json</c>; see <see cref="AgentPlanBuilder"/>).</summary>
    Plan,
}
