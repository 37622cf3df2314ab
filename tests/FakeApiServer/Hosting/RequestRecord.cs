namespace Imprint.Testing.FakeApiServer;

/// <summary>One HTTP request the fake answered (faults included).</summary>
public sealed record RequestRecord(string Method, string Path, string Query, int StatusCode);
