namespace Imprint.Testing.FakeApiServer;

/// <summary>One HTTP request the fake answered (faults included); <see cref="User"/> is empty for requests without a token.</summary>
public sealed record RequestRecord(string Method, string Path, string Query, int StatusCode, string User = "");
