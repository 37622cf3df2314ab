using System.Globalization;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Phases;
using Imprint.Operator.Controllers.Storage;
using k8s.Models;

namespace Imprint.Operator.Controllers.VmClones;

/// <summary>
/// Cloning (CsiClone and Snapshot): before anything writes to a claim the storage filled, the agent fingerprints it
/// read-only and it must match the golden's status.fingerprint — size and the SHA-256 of its first and last MiB. A
/// bound claim is no proof: Kubernetes binds a claim on a no-provisioner class to any available static volume and
/// ignores the dataSource, and some drivers ignore it too. A claim that does not hold the golden makes Auto fall back to
/// a copy on a new claim (and the class is remembered as unable), and an explicit strategy fail with the reason.
/// Runs once per attempt; a retry re-provisions the claim and verifies the new one.
/// </summary>
public sealed class VerifyTargetPhase : IPhase<VmCloneContext, VmClonePhase>
{
    /// <summary>Exit code of the agent when the disk does not exist (an empty Filesystem volume has no disk.img).</summary>
    private const int DiskNotFound = 3;

    public VmClonePhase Phase => VmClonePhase.Cloning;

    public async Task<PhaseOutcome> RunAsync(VmCloneContext context, CancellationToken cancellationToken)
    {
        if (context.Status.CloneStrategy is not (CloneStrategy.CsiClone or CloneStrategy.Snapshot))
        {
            return PhaseOutcome.Done;
        }

        var golden = context.Golden!.Status!;
        var expected = golden.Fingerprint;
        var goldenSize = expected?.Size ?? golden.VirtualSize!.Value;
        var target = context.TargetDisk with { ReadOnly = true };
        var request = context.Request(AgentStep.Verify,
            ["fingerprint", target.Path, "--length", goldenSize.ToString(CultureInfo.InvariantCulture)], [target]);
        var observation = await context.Steps.RunAsync(request, cancellationToken).ConfigureAwait(false);
        string? mismatch = observation switch
        {
            { State: AgentJobState.Failed, ExitCode: DiskNotFound } => $"the claim holds no disk ({observation.FailureMessage})",
            { State: AgentJobState.Succeeded, Result.Fingerprint: { } found } => Compare(found, expected, goldenSize),
            _ => null,
        };
        if (mismatch is null)
        {
            return AgentStepOutcome.From(observation, request.Name, "Verifying", "checking that the claim holds the golden disk",
                TimeSpan.FromSeconds(context.Options.Agent.ProgressIntervalSeconds));
        }

        var strategy = context.Status.CloneStrategy!.Value;
        var claim = await context.Client.GetAsync<V1PersistentVolumeClaim>(context.TargetPvcName, context.Namespace, cancellationToken).ConfigureAwait(false);
        var storageClass = await StorageClasses.ResolveAsync(context.Client, claim?.Spec.StorageClassName, cancellationToken).ConfigureAwait(false);
        var className = storageClass?.Metadata.Name ?? claim?.Spec.StorageClassName ?? "(default)";
        var reason = $"{strategy} bound PVC {context.TargetPvcName} in StorageClass '{className}' ({storageClass?.Provisioner ?? "unknown provisioner"}) "
            + $"without the golden disk: {mismatch}";
        if ((context.Entity.Spec.Strategy ?? CloneStrategy.Auto) != CloneStrategy.Auto)
        {
            // The claim stays for inspection; nothing was written to it.
            return PhaseOutcome.Fail("CloneNotPopulated", reason);
        }

        context.StorageCapabilities.RecordNotPopulated(className, strategy == CloneStrategy.Snapshot, mismatch);
        context.FallbackCause = "NotPopulated";
        return await CopyFallback.StartAsync(context, context.TargetPvcName, reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Why the fingerprint found is not the golden's, or null when it is.</summary>
    public static string? Compare(AgentFingerprintDocument found, DiskFingerprint? expected, long goldenSize)
    {
        if (found.Size < goldenSize)
        {
            return string.Create(CultureInfo.InvariantCulture, $"its disk is {found.Size} bytes, the golden's {goldenSize}");
        }

        if (expected is null)
        {
            return null; // A golden made before fingerprints were recorded: the size is all there is to compare.
        }

        return found.Head != expected.Head ? "its first MiB differs from the golden's (partition table, boot code)"
            : found.Tail != expected.Tail ? "its last MiB within the golden's size differs from the golden's (backup GPT, end of the last partition)"
            : null;
    }
}
