using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Imprint.Operator.Kubernetes.Client;

/// <summary>Turns a Kubernetes Status (an error body, or the object of a watch ERROR event) into an exception.</summary>
internal static class ApiStatusParser
{
    private const int MaxBodyInMessage = 512;

    public static KubernetesApiException FromBody(HttpStatusCode statusCode, string body, string what, TimeSpan? retryAfter)
    {
        JsonNode? status = null;
        try
        {
            status = body.Length > 0 ? JsonNode.Parse(body) : null;
        }
        catch (JsonException)
        {
            // Not a Status (a proxy's HTML page, plain text): keep the raw body in the message.
        }

        if (status is JsonObject statusObject && (statusObject["message"] is not null || statusObject["reason"] is not null))
        {
            return FromStatus(statusObject, statusCode, what, retryAfter);
        }

        var text = body.Length > MaxBodyInMessage ? body[..MaxBodyInMessage] + "…" : body;
        return new KubernetesApiException(statusCode, statusCode.ToString(), $"{what}: {(int)statusCode} {statusCode} {text}".TrimEnd(), retryAfter: retryAfter);
    }

    public static KubernetesApiException FromStatus(JsonObject status, HttpStatusCode? fallbackCode, string what, TimeSpan? retryAfter = null)
    {
        var code = status["code"] is JsonValue codeValue && codeValue.TryGetValue<int>(out var number)
            ? (HttpStatusCode)number
            : fallbackCode ?? HttpStatusCode.InternalServerError;
        var reason = (string?)status["reason"];
        var message = (string?)status["message"] ?? reason ?? code.ToString();
        var causes = new List<string>();
        if (status["details"]?["causes"] is JsonArray causeArray)
        {
            foreach (var cause in causeArray.OfType<JsonObject>())
            {
                var field = (string?)cause["field"];
                var causeMessage = (string?)cause["message"] ?? (string?)cause["reason"] ?? string.Empty;
                causes.Add(string.IsNullOrEmpty(field) ? causeMessage : $"{field}: {causeMessage}");
            }
        }

        return new KubernetesApiException(code, reason, $"{what}: {(int)code} {reason ?? code.ToString()}: {message}", causes, retryAfter);
    }
}
