using System.Globalization;
using Imprint.Operator.Apis;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.GoldenImages;
using Imprint.Operator.Controllers.Status;

namespace Imprint.Operator.Controllers.Revisions;

/// <summary>
/// How revisions map to claims and what a clone copies. r1 is the image's first build and keeps its claim
/// (&lt;name&gt;-golden), so images made before revisions existed need nothing new; revision N ≥ 2 lives on
/// &lt;name&gt;-golden-rN and its Jobs are named after &lt;name&gt;-rN. Numbers only grow (a failed build's number is not
/// reused). The image's top-level status (pvc, digest, fingerprint, size, inspection) always describes
/// status.currentRevision; the revision entries keep what a clone pinned to an older one needs.
/// </summary>
public static class GoldenImageRevisions
{
    public const string First = "r1";

    public static string Name(int number) => string.Create(CultureInfo.InvariantCulture, $"r{number}");

    public static int Number(string name) =>
        name.Length > 1 && name[0] == 'r' && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    public static string ClaimName(string goldenImage, int number) =>
        number == 1 ? GoldenImagePvc.DefaultName(goldenImage) : string.Create(CultureInfo.InvariantCulture, $"{GoldenImagePvc.DefaultName(goldenImage)}-r{number}");

    /// <summary>What revision N's Jobs and input objects are named after (r1 keeps the image's own name).</summary>
    public static string? JobOwner(string goldenImage, GoldenImageRevision? revision) =>
        revision is null || Number(revision.Name) <= 1 ? null : $"{goldenImage}-{revision.Name}";

    public static GoldenImageRevision? Current(V1Alpha1GoldenImage.GoldenImageStatus status) =>
        status.Revisions?.FirstOrDefault(r => r.Name == status.CurrentRevision);

    /// <summary>The revision being built after an update found a new source (ready false, no failure message), if any.</summary>
    public static GoldenImageRevision? Building(V1Alpha1GoldenImage.GoldenImageStatus status) =>
        status.Revisions?.FirstOrDefault(r => r.Ready != true && r.Message is null);

    /// <summary>
    /// A Ready image records its first build as r1 (also an image made before revisions existed, on its next pass):
    /// every Ready image has at least one revision and a current one.
    /// </summary>
    public static void RecordFirst(V1Alpha1GoldenImage golden, V1Alpha1GoldenImage.GoldenImageStatus status, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(golden);
        ArgumentNullException.ThrowIfNull(status);
        if (status.Phase != GoldenImagePhase.Ready || status.Revisions is { Count: > 0 } || status.Pvc is null)
        {
            return;
        }

        status.Revisions =
        [
            new GoldenImageRevision
            {
                Name = First,
                Claim = status.Pvc.Name,
                Digest = status.Digest,
                Fingerprint = status.Fingerprint,
                VirtualSize = status.VirtualSize,
                SourceChecksum = (golden.Spec.Source.Http?.Checksum ?? status.PublishedChecksum)?.ToLowerInvariant(),
                Created = status.StartTime ?? now,
                Ready = true,
            },
        ];
        status.CurrentRevision = First;
    }

    /// <summary>
    /// What a clone copies: the revision it pins (or already started from), else the current one. The current
    /// revision is the image as it is; an older one is the image seen through that revision (its claim, digest,
    /// fingerprint and size, no snapshot — the snapshot is of the current claim). Problem: why the clone must wait.
    /// </summary>
    public static (V1Alpha1GoldenImage View, string? Revision, string? Problem) Select(V1Alpha1GoldenImage golden, string? wanted)
    {
        ArgumentNullException.ThrowIfNull(golden);
        var status = golden.Status!;
        if (status.Revisions is not { Count: > 0 } revisions)
        {
            // An image Ready before revisions existed: its next pass records r1.
            return wanted is null ? (golden, null, null) : (golden, null, $"its revisions are not recorded yet (wanted {wanted})");
        }

        var name = wanted ?? status.CurrentRevision;
        var revision = revisions.FirstOrDefault(r => r.Name == name);
        if (revision is null)
        {
            return (golden, null, $"it has no revision {name} (it has {string.Join(", ", revisions.Where(r => r.Ready == true).Select(r => r.Name))})");
        }

        if (revision.Ready != true)
        {
            return (golden, null, revision.Message is { } failed ? $"its revision {name} failed: {failed}" : $"its revision {name} is still being built");
        }

        if (name == status.CurrentRevision)
        {
            return (golden, name, null);
        }

        var seen = StatusWriter.Copy(status, ImprintJsonContext.Default.GoldenImageStatus);
        seen.Pvc = new NamespacedObjectReference { Name = revision.Claim, Namespace = golden.Metadata.NamespaceProperty };
        seen.Digest = revision.Digest;
        seen.Fingerprint = revision.Fingerprint;
        seen.VirtualSize = revision.VirtualSize ?? status.VirtualSize;
        seen.Size = seen.VirtualSize is { } bytes ? Storage.DiskSizing.Format(bytes) : status.Size;
        seen.MinimumSize = null;
        seen.Snapshot = null;
        seen.DigestMismatch = null;
        var view = new V1Alpha1GoldenImage { ApiVersion = golden.ApiVersion, Kind = golden.Kind, Metadata = golden.Metadata, Spec = golden.Spec, Status = seen };
        return (view, name, null);
    }
}
