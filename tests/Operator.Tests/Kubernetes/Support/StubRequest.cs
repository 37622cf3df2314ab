namespace Imprint.Operator.Tests.Kubernetes.Support;

/// <summary>One request the stub received, as the wire saw it (Authorization shows the client certificate when one was sent).</summary>
public sealed record StubRequest(string Method, string PathAndQuery, string? ContentType, string Authorization, string Body, DateTimeOffset ReceivedAt);
