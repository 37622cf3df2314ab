using Imprint.Agent.Results;

namespace Imprint.Agent.Cloning;

/// <summary>What a clone did: the copy and the resize (null when the size was kept).</summary>
public sealed record CloneResult(CopyReport Copy, ResizeReport? Resize)
{
    /// <summary>The source's digest, checked against the expected one; null when none was expected.</summary>
    public DigestReport? Digest { get; init; }
}
