namespace Imprint.Operator.Controllers.Revisions;

/// <summary>A look at an http source that failed; the message names the URL and why (never a header value).</summary>
public sealed class SourceProbeException(string message) : Exception(message);
