namespace Imprint.Agent.Formats;

/// <summary>What a conversion to raw did: the formats it unwrapped (outer first) and the raw size.</summary>
public sealed record ConversionResult(IReadOnlyList<ImageFormat> Formats, long VirtualSize, TimeSpan Elapsed);
