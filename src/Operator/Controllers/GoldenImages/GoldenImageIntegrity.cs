using Imprint.Operator.Apis;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Controllers.Storage;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Events;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>
/// The golden's tamper evidence: the seal records the final disk's digest (and, after a shrink, its minimum size);
/// every host-assisted copy passes it to the agent (<c>--expect-digest</c>), which hashes the golden while copying.
/// A mismatch (agent exit 4, "digest mismatch") marks the golden itself — status.digestMismatch, Degraded
/// <see cref="Changed"/>, a Warning Event — so every later clone stops up front with the same reason.
/// </summary>
public static class GoldenImageIntegrity
{
    /// <summary>Reason on the golden's Degraded condition and on the clones that stop because of it.</summary>
    public const string Changed = "GoldenImageChanged";

    /// <summary>The agent's data-integrity exit code (malformed image, checksum or digest mismatch).</summary>
    private const int DataIntegrityExitCode = 4;

    /// <summary>Maps the seal step's result: digest of the final disk; with a shrink, its new (= minimum) size.</summary>
    public static void RecordSeal(V1Alpha1GoldenImage.GoldenImageStatus status, AgentResultDocument result)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(result);
        status.Digest = result.Digest?.Digest ?? status.Digest;
        status.DigestMismatch = null;
        if (result.Shrink is { } shrink)
        {
            status.MinimumSize = shrink.NewDiskSize;
            status.VirtualSize = shrink.NewDiskSize;
            status.Size = DiskSizing.Format(shrink.NewDiskSize);
        }
    }

    /// <summary>Extra arguments of a copy of this golden: the digest the copy must find.</summary>
    public static IReadOnlyList<string> ExpectArgs(V1Alpha1GoldenImage? golden) =>
        golden?.Status?.Digest is { } digest ? ["--expect-digest", digest] : [];

    /// <summary>True when a copy Job failed because the golden's bytes no longer hash to the sealed digest.</summary>
    public static bool IsMismatch(AgentJobObservation observation) =>
        observation is { State: AgentJobState.Failed, ExitCode: DataIntegrityExitCode, FailureMessage: { } message }
        && message.Contains("digest mismatch", StringComparison.Ordinal);

    /// <summary>Keeps a golden whose copy found it changed Degraded on every pass (its own passes would clear it).</summary>
    public static void ApplyCondition(V1Alpha1GoldenImage.GoldenImageStatus status, long? generation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.DigestMismatch is { } why)
        {
            status.Conditions = Conditions.Set(status.Conditions, ConditionTypes.Degraded, ConditionStatus.True, Changed, why, generation, now);
        }
    }

    /// <summary>
    /// Marks the golden changed (fresh read, status subresource, retried on a conflict) and records a Warning Event on
    /// it naming the difference. Returns the message clones report.
    /// </summary>
    /// <param name="revision">The revision the copy read; an older one than the current is reported by an Event only,
    /// since the image's status (and every clone of its current revision) is about the current one.</param>
    public static async Task<string> ReportAsync(
        IKubernetesClient client, IEventRecorder events, string goldenNamespace, string goldenName, string found, string foundBy, DateTimeOffset now, CancellationToken cancellationToken,
        string? revision = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(events);
        var message = $"changed since it was sealed: {foundBy} found {Truncate(found)}";
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var golden = await client.GetAsync<V1Alpha1GoldenImage>(goldenName, goldenNamespace, cancellationToken).ConfigureAwait(false);
            if (golden?.Status is null)
            {
                return message;
            }

            if (revision is not null && golden.Status.CurrentRevision is { } current && revision != current)
            {
                events.Record(golden, EventType.Warning, Changed, $"revision {revision} {message}; clones pinned to it fail, the current revision {current} is not affected");
                return $"revision {revision} {message}";
            }

            if (golden.Status.DigestMismatch is { } already)
            {
                return already;
            }

            var status = StatusWriter.Copy(golden.Status, ImprintJsonContext.Default.GoldenImageStatus);
            status.DigestMismatch = message;
            ApplyCondition(status, golden.Metadata.Generation, now);
            golden.Status = status;
            if (await StatusWriter.WriteAsync(client, golden, cancellationToken).ConfigureAwait(false))
            {
                events.Record(golden, EventType.Warning, Changed, $"the golden disk {message}; clones from it stop until it is sealed again as a new image");
                return message;
            }
        }

        return message;
    }

    private static string Truncate(string text) => text.Length <= 900 ? text : text[..900] + "…";
}
