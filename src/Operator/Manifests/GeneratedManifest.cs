namespace Imprint.Operator.Manifests;

/// <summary>One generated file: its path relative to the output folder (forward slashes) and its full text.</summary>
public sealed record GeneratedManifest(string RelativePath, string Content);
