using System.Net;

namespace Imprint.Operator.Kubernetes.Client;

/// <summary>
/// Retries what the client library does not: at most <see cref="MaxAttempts"/> attempts with jittered exponential
/// backoff (or the server's Retry-After, capped). A 429 is retried for every method (flow control rejected it before
/// any processing); 5xx answers and broken connections only for GET, PUT, PATCH and DELETE. A POST is re-sent only
/// when the connection was never established: after a 5xx or a reset the create may have happened, and a second one
/// would duplicate it or fail with a misleading AlreadyExists.
/// </summary>
internal sealed class KubernetesRetryHandler(TimeSpan? baseBackoff = null, TimeProvider? timeProvider = null) : DelegatingHandler
{
    public const int MaxAttempts = 3;

    private readonly TimeSpan _baseBackoff = baseBackoff ?? TimeSpan.FromMilliseconds(200);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var idempotent = request.Method != HttpMethod.Post;
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (attempt < MaxAttempts && IsRetryable(e, idempotent))
            {
                await Task.Delay(Backoff(attempt), _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var code = (int)response.StatusCode;
            var retryable = response.StatusCode == HttpStatusCode.TooManyRequests || (code >= 500 && idempotent);
            if (!retryable || attempt >= MaxAttempts)
            {
                return response;
            }

            var delay = KubernetesErrors.RetryAfter(response.Headers.ToDictionary(h => h.Key, h => h.Value), _time.GetUtcNow()) ?? Backoff(attempt);
            response.Dispose();
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsRetryable(HttpRequestException e, bool idempotent) =>
        e.HttpRequestError switch
        {
            // Never connected: nothing was sent, so even a POST is safe to send again.
            HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError => true,

            // The connection died after the request went out: only safe when sending twice is harmless.
            HttpRequestError.ResponseEnded or HttpRequestError.Unknown or HttpRequestError.HttpProtocolError => idempotent,

            // TLS trust failures, unsupported protocols and the like do not heal by retrying.
            _ => false,
        };

    private TimeSpan Backoff(int attempt) => _baseBackoff * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble());
}
