using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Imprint.Operator.Kubernetes.Client;

/// <summary>
/// The one mapping from the client library's failures to <see cref="KubernetesApiException"/> (conflict, not found,
/// gone, forbidden, invalid…): an <see cref="HttpOperationException"/> carries the status code and the Status body, a
/// <see cref="KubernetesException"/> the Status of a watch ERROR event. Controllers only ever see our exception.
/// </summary>
public static class KubernetesErrors
{
    private const int MaxBodyInMessage = 512;
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>Our exception for a failed call, or null when <paramref name="error"/> is not an API error.</summary>
    public static KubernetesApiException? Map(Exception error, string what) =>
        error switch
        {
            KubernetesApiException known => known,
            HttpOperationException http when http.Response is { } response =>
                FromBody(response.StatusCode, response.Content ?? string.Empty, what, RetryAfter(response.Headers)),
            KubernetesException { Status: { } status } => FromStatus(status, what),
            _ => null,
        };

    /// <summary>The exception of a Status body; anything else (a proxy's HTML page) is kept, cut short, in the message.</summary>
    public static KubernetesApiException FromBody(HttpStatusCode statusCode, string body, string what, TimeSpan? retryAfter = null)
    {
        JsonNode? status = null;
        try
        {
            status = body.Length > 0 ? JsonNode.Parse(body) : null;
        }
        catch (JsonException)
        {
            // Not a Status: keep the raw body in the message.
        }

        if (status is JsonObject statusObject && (statusObject["message"] is not null || statusObject["reason"] is not null))
        {
            var code = statusObject["code"] is JsonValue value && value.TryGetValue<int>(out var number) ? (HttpStatusCode)number : statusCode;
            var causes = new List<string>();
            if (statusObject["details"]?["causes"] is JsonArray causeArray)
            {
                foreach (var cause in causeArray.OfType<JsonObject>())
                {
                    causes.Add(Cause((string?)cause["field"], (string?)cause["message"] ?? (string?)cause["reason"]));
                }
            }

            return Create(code, (string?)statusObject["reason"], (string?)statusObject["message"], what, causes, retryAfter);
        }

        var text = body.Length > MaxBodyInMessage ? body[..MaxBodyInMessage] + "…" : body;
        return new KubernetesApiException(statusCode, statusCode.ToString(), $"{what}: {(int)statusCode} {statusCode} {text}".TrimEnd(), retryAfter: retryAfter);
    }

    /// <summary>The exception of a Status object (the object of a watch ERROR event).</summary>
    public static KubernetesApiException FromStatus(V1Status status, string what)
    {
        ArgumentNullException.ThrowIfNull(status);
        var code = status.Code is { } number ? (HttpStatusCode)number : HttpStatusCode.InternalServerError;
        var causes = status.Details?.Causes?.Select(c => Cause(c.Field, c.Message ?? c.Reason)).ToList();
        return Create(code, status.Reason, status.Message, what, causes, null);
    }

    /// <summary>Retry-After of a 429 or 503, in seconds or as a date (against <paramref name="now"/>, the caller's clock), capped so a server cannot park us for long.</summary>
    public static TimeSpan? RetryAfter(IDictionary<string, IEnumerable<string>>? headers, DateTimeOffset? now = null)
    {
        if (headers is null || !headers.TryGetValue("Retry-After", out var values) || values.FirstOrDefault() is not { } value)
        {
            return null;
        }

        TimeSpan? delay = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds)
            : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date - (now ?? DateTimeOffset.UtcNow)
            : null;
        return delay is null ? null : delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxRetryAfter ? MaxRetryAfter : delay;
    }

    private static KubernetesApiException Create(HttpStatusCode code, string? reason, string? message, string what, IReadOnlyList<string>? causes, TimeSpan? retryAfter) =>
        new(code, reason, $"{what}: {(int)code} {reason ?? code.ToString()}: {message ?? reason ?? code.ToString()}", causes, retryAfter);

    private static string Cause(string? field, string? message) =>
        string.IsNullOrEmpty(field) ? message ?? string.Empty : $"{field}: {message}";
}
