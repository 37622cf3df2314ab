namespace Imprint.Operator.Controllers.Revisions;

/// <summary>
/// What a cheap look at an http source found: the published checksum (with updatePolicy.checksumUrl) or the server's
/// version headers, and whether they differ from the current revision's.
/// </summary>
public sealed record SourceCheck(bool Changed, string? Checksum, string? Version);
