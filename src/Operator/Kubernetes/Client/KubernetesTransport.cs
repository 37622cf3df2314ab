using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Imprint.Operator.Kubernetes.Configuration;

namespace Imprint.Operator.Kubernetes.Client;

/// <summary>
/// Sends API requests over one pooled connection set: trust, client certificates, bearer tokens, timeouts, retries,
/// Status errors and telemetry. Shared by the typed and the dynamic client.
/// </summary>
/// <remarks>
/// Retry rule: at most <see cref="MaxAttempts"/> attempts with jittered exponential backoff (or the server's
/// Retry-After). GET, PUT, DELETE and merge PATCH are retried on 5xx, 429, timeouts and connection failures. A POST is
/// re-sent only when the server cannot have acted on it: a 429 (rejected by flow control before processing) or a
/// connection that was never established. It is never re-sent after a timeout, a reset connection or a 5xx, because
/// the create may have happened and a second one would duplicate it or fail with a misleading AlreadyExists.
/// A 401 fetches a fresh credential once (exec plugins, rotated tokens) and tries again; that does not count as an attempt.
/// </remarks>
internal sealed class KubernetesTransport : IDisposable
{
    public const int MaxAttempts = 3;

    private static readonly TimeSpan BaseBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    private readonly KubernetesClientConfiguration _configuration;
    private readonly HttpClient _http;
    private X509Certificate2? _credentialCertificate;

    public KubernetesTransport(KubernetesClientConfiguration configuration)
    {
        _configuration = configuration;
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = DecompressionMethods.None,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => ValidateServer(certificate, chain, errors);
        if (configuration.ClientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [configuration.ClientCertificate];
        }
        else if (configuration.Credentials is not null)
        {
            // Exec plugins may answer with a client certificate; it is known before the first request connects.
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => _credentialCertificate!;
        }

        _http = new HttpClient(handler) { BaseAddress = configuration.Server, Timeout = Timeout.InfiniteTimeSpan };
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Sends with retries; returns the response of a success (or an allowed 404), buffered unless streaming.</summary>
    public async Task<HttpResponseMessage> SendAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        using var activity = KubernetesInstrumentation.ActivitySource.StartActivity($"{request.Verb} {request.Resource}", ActivityKind.Client);
        activity?.SetTag("k8s.verb", request.Verb);
        activity?.SetTag("k8s.resource", request.Resource);
        activity?.SetTag("http.request.method", request.Method.Method);
        activity?.SetTag("url.path", request.Path);
        var what = $"{request.Method} {request.Path}";
        var credentialRefreshed = false;
        for (var attempt = 1; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (!request.Stream)
            {
                timeout.CancelAfter(_configuration.RequestTimeout);
            }

            HttpResponseMessage response;
            try
            {
                using var message = await CreateMessageAsync(request, cancellationToken).ConfigureAwait(false);
                var completion = request.Stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead;
                response = await _http.SendAsync(message, completion, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                KubernetesInstrumentation.CountRequest(request.Verb, "timeout", _configuration.Server);
                if (request.Idempotent && attempt < MaxAttempts)
                {
                    await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                activity?.SetStatus(ActivityStatusCode.Error, "timeout");
                throw new TimeoutException($"{what} got no answer within {_configuration.RequestTimeout.TotalSeconds} s.", e);
            }
            catch (HttpRequestException e)
            {
                KubernetesInstrumentation.CountRequest(request.Verb, "error", _configuration.Server);
                if (attempt < MaxAttempts && IsRetryable(e, request))
                {
                    await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                activity?.SetStatus(ActivityStatusCode.Error, e.Message);
                throw;
            }

            var code = (int)response.StatusCode;
            KubernetesInstrumentation.CountRequest(request.Verb, code.ToString(CultureInfo.InvariantCulture), _configuration.Server);
            activity?.SetTag("http.response.status_code", code);
            if (response.IsSuccessStatusCode || (request.AllowNotFound && response.StatusCode == HttpStatusCode.NotFound))
            {
                return response;
            }

            string body;
            using (response)
            {
                body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized && !credentialRefreshed && _configuration.Credentials is not null)
            {
                credentialRefreshed = true;
                _configuration.Credentials.Invalidate();
                attempt--;
                continue;
            }

            var retryAfter = RetryAfter(response.Headers.RetryAfter);
            var error = ApiStatusParser.FromBody(response.StatusCode, body, what, retryAfter);
            var retryable = response.StatusCode == HttpStatusCode.TooManyRequests || (code >= 500 && request.Idempotent);
            if (retryable && attempt < MaxAttempts)
            {
                await Task.Delay(retryAfter ?? Backoff(attempt), cancellationToken).ConfigureAwait(false);
                continue;
            }

            activity?.SetStatus(ActivityStatusCode.Error, error.Reason);
            throw error;
        }
    }

    private static bool IsRetryable(HttpRequestException e, ApiRequest request) =>
        e.HttpRequestError switch
        {
            // Never connected: nothing was sent, so even a POST is safe to send again.
            HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError => true,

            // The connection died after the request went out: only safe when sending twice is harmless.
            HttpRequestError.ResponseEnded or HttpRequestError.Unknown or HttpRequestError.HttpProtocolError => request.Idempotent,

            // TLS trust failures, unsupported protocols and the like do not heal by retrying.
            _ => false,
        };

    private static TimeSpan Backoff(int attempt)
    {
        var exponential = BaseBackoff * Math.Pow(2, attempt - 1);
        return exponential * (0.5 + Random.Shared.NextDouble());
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        var delay = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (delay is null)
        {
            return null;
        }

        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxRetryAfter ? MaxRetryAfter : delay;
    }

    private async Task<HttpRequestMessage> CreateMessageAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(request.Method, request.Path);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (request.Body is not null)
        {
            message.Content = new StringContent(request.Body, Encoding.UTF8);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(request.ContentType);
        }

        if (_configuration.Credentials is { } provider)
        {
            var credential = await provider.GetCredentialAsync(cancellationToken).ConfigureAwait(false);
            _credentialCertificate = credential.ClientCertificate;
            if (!string.IsNullOrEmpty(credential.Token))
            {
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.Token);
            }
        }

        return message;
    }

    private bool ValidateServer(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (_configuration.SkipTlsVerify)
        {
            return true;
        }

        if (certificate is null)
        {
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var expectedName = _configuration.TlsServerName ?? _configuration.Server.DnsSafeHost;
        if (_configuration.CertificateAuthorities is not { Count: > 0 } authorities)
        {
            // System trust store: keep the platform's chain verdict, but check the name ourselves so tls-server-name works.
            return (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None && leaf.MatchesHostname(expectedName);
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements.Skip(1))
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(leaf) && leaf.MatchesHostname(expectedName);
    }
}
