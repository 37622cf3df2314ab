using Imprint.Agent.Results;

namespace Imprint.Agent.Cloning;

/// <summary>What a clone did: the copy and the resize (null when the size was kept).</summary>
public sealed record CloneResult(CopyReport Copy, ResizeReport? Resize);
