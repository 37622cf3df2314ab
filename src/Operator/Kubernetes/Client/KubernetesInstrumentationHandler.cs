using System.Diagnostics;
using System.Globalization;

namespace Imprint.Operator.Kubernetes.Client;

/// <summary>
/// Handler of the client library's HTTP pipeline, inside the retries: a client span per attempt named by the
/// Kubernetes verb and resource (<c>LIST pods</c>, <c>PATCH goldenimages/status</c>) and the request counter by verb
/// and code (a 429 then a 200 counts both). The HttpClient instrumentation still sees each attempt below it.
/// </summary>
internal sealed class KubernetesInstrumentationHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var (verb, resource) = Describe(request);
        using var activity = KubernetesInstrumentation.ActivitySource.StartActivity($"{verb} {resource}", ActivityKind.Client);
        activity?.SetTag("k8s.verb", verb);
        activity?.SetTag("k8s.resource", resource);
        activity?.SetTag("http.request.method", request.Method.Method);
        activity?.SetTag("url.path", request.RequestUri?.AbsolutePath);
        var server = request.RequestUri;
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            KubernetesInstrumentation.CountRequest(verb, code.ToString(CultureInfo.InvariantCulture), server);
            activity?.SetTag("http.response.status_code", code);
            if (!response.IsSuccessStatusCode)
            {
                activity?.SetStatus(ActivityStatusCode.Error, response.ReasonPhrase);
            }

            return response;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            KubernetesInstrumentation.CountRequest(verb, "timeout", server);
            activity?.SetStatus(ActivityStatusCode.Error, "timeout");
            throw;
        }
        catch (HttpRequestException e)
        {
            KubernetesInstrumentation.CountRequest(verb, "error", server);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    /// <summary>
    /// The verb as kube-apiserver's audit log names it and the resource (with subresource) from the REST path:
    /// <c>/api/v1/namespaces/ns/pods?watch=true</c> is WATCH pods, <c>/apis/g/v/namespaces/ns/kinds/name/status</c> kinds/status.
    /// </summary>
    internal static (string Verb, string Resource) Describe(HttpRequestMessage request)
    {
        var uri = request.RequestUri;
        var segments = uri is null ? [] : uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var rest = segments switch
        {
            ["api", _, .. var tail] => tail,
            ["apis", _, _, .. var tail] => tail,
            _ => [],
        };
        if (rest is ["namespaces", _, _, ..])
        {
            rest = rest[2..];
        }

        var resource = rest switch
        {
            [] => "unknown",
            [var plural, _, var sub, ..] => $"{plural}/{sub}",
            [var plural, ..] => plural,
        };
        var collection = rest.Length == 1;
        var watch = uri?.Query.Contains("watch=true", StringComparison.OrdinalIgnoreCase) == true;
        var verb = request.Method.Method switch
        {
            "GET" when collection && watch => "WATCH",
            "GET" when collection => "LIST",
            "GET" => "GET",
            "POST" => "CREATE",
            "PUT" => "UPDATE",
            "PATCH" => "PATCH",
            "DELETE" => "DELETE",
            var other => other,
        };
        return (verb, resource);
    }
}
