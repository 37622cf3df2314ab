using Imprint.Operator.Apis.V1Alpha1;

namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>
/// Which of the parent's revisions a derived golden builds from: the pinned one (spec.source.goldenImage.revision)
/// or the parent's current one, with the digest and size it has. A parent without revisions is its own single version.
/// </summary>
public sealed record ParentRevisionChoice(string? Revision, string? Digest, long? VirtualSize)
{
    /// <summary>The choice, or null when the pinned revision is not among the parent's ready revisions.</summary>
    public static ParentRevisionChoice? Of(V1Alpha1GoldenImage parent, string? pinned)
    {
        var status = parent.Status;
        if (pinned is null || pinned == status?.CurrentRevision)
        {
            return new ParentRevisionChoice(status?.CurrentRevision, status?.Digest, status?.VirtualSize);
        }

        return status?.Revisions?.FirstOrDefault(r => r.Name == pinned && r.Ready == true) is { } revision
            ? new ParentRevisionChoice(revision.Name, revision.Digest, revision.VirtualSize ?? status.VirtualSize)
            : null;
    }

    /// <summary>Whether the parent's current version differs from what <paramref name="builtFrom"/> records (revision, else digest).</summary>
    public static bool Moved(V1Alpha1GoldenImage parent, ParentRevision builtFrom)
    {
        var status = parent.Status;
        if (status?.Phase != GoldenImagePhase.Ready)
        {
            return false;
        }

        return status.CurrentRevision is { } current && builtFrom.Revision is not null
            ? current != builtFrom.Revision
            : status.Digest is { } digest && digest != builtFrom.Digest;
    }
}
