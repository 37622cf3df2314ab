using System.Net;

namespace Imprint.Operator.Kubernetes;

/// <summary>
/// A failed API call, built from the server's Status body (reason, message, field causes) by
/// <see cref="Client.KubernetesErrors"/>, the one place that reads the client library's exceptions.
/// </summary>
public sealed class KubernetesApiException(HttpStatusCode statusCode, string? reason, string message, IReadOnlyList<string>? causes = null, TimeSpan? retryAfter = null)
    : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The Status reason, e.g. NotFound, AlreadyExists, Conflict, Invalid, Expired, Gone, TooManyRequests.</summary>
    public string? Reason { get; } = reason;

    /// <summary>Field causes of a 422 Invalid, as "field: message".</summary>
    public IReadOnlyList<string> Causes { get; } = causes ?? [];

    /// <summary>Retry-After of a 429 or 503.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    public bool IsGone => StatusCode == HttpStatusCode.Gone;

    public bool IsForbidden => StatusCode == HttpStatusCode.Forbidden;
}
