namespace Imprint.Operator.Kubernetes.Client;

/// <summary>One API call: method and path, optional JSON body, the verb/resource for telemetry, and its retry class.</summary>
internal sealed record ApiRequest(HttpMethod Method, string Path, string Verb, string Resource)
{
    public string? Body { get; init; }

    public string ContentType { get; init; } = "application/json";

    /// <summary>404 is an answer (Get, Delete), not an error.</summary>
    public bool AllowNotFound { get; init; }

    /// <summary>A watch: return after the headers, no request timeout.</summary>
    public bool Stream { get; init; }

    /// <summary>
    /// Whether sending the request twice has the same effect as once. GET, PUT (guarded by resourceVersion), DELETE and
    /// merge PATCH are; POST is not, because a create whose answer was lost may have happened.
    /// </summary>
    public bool Idempotent => Method != HttpMethod.Post;
}
