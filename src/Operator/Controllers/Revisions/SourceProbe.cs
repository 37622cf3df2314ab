using System.Globalization;
using System.Net.Http.Headers;
using Imprint.Operator.Apis.V1Alpha1;

namespace Imprint.Operator.Controllers.Revisions;

/// <summary>
/// Looks at an http source without downloading it: GET of the checksum file (bounded) and its line for the image, or
/// HEAD of the image for ETag, Last-Modified and Content-Length. The source's credential headers go only to the
/// source's own host. Failures are <see cref="SourceProbeException"/>s with a message for status and the Event.
/// </summary>
public sealed class SourceProbe(HttpClient http)
{
    /// <summary>A checksum file is a few lines per published file; anything larger is not one.</summary>
    public const int MaxChecksumFileBytes = 1024 * 1024;

    /// <summary>One client for every probe (connections pooled and recycled for DNS changes).</summary>
    public static HttpClient SharedClient { get; } = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        AllowAutoRedirect = true,
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <param name="headers">Header lines (<c>Name: value</c>) from spec.source.http.secretRef, or null.</param>
    public async Task<SourceCheck> CheckAsync(HttpSource source, UpdatePolicy policy, GoldenImageRevision? current, string? headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.ChecksumUrl is { } checksumUrl)
        {
            string checksum;
            try
            {
                checksum = await PublishedChecksumAsync(source, checksumUrl, headers, cancellationToken).ConfigureAwait(false);
            }
            catch (FormatException e)
            {
                throw new SourceProbeException($"checksum file {checksumUrl}: {e.Message}");
            }

            return new SourceCheck(!string.Equals(checksum, current?.SourceChecksum, StringComparison.OrdinalIgnoreCase), checksum, null);
        }

        var version = await HeadVersionAsync(new Uri(source.Url), headers, cancellationToken).ConfigureAwait(false);
        // The first look only learns the version: the revision it describes was imported before anyone asked.
        return new SourceCheck(current?.SourceVersion is { } known && known != version, null, version);
    }

    /// <summary>
    /// The checksum file's line for the source's image (<c>sha256:hex</c> or <c>sha512:hex</c>). A file that cannot be
    /// fetched is a <see cref="SourceProbeException"/>; one without a usable line for the image a <see cref="FormatException"/>.
    /// </summary>
    public async Task<string> PublishedChecksumAsync(HttpSource source, string checksumUrl, string? headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var url = new Uri(source.Url);
        var sums = new Uri(checksumUrl);
        var text = await GetTextAsync(sums, SameHost(sums, url) ? headers : null, cancellationToken).ConfigureAwait(false);
        return ChecksumFile.Find(text, ChecksumFile.FileNameOf(url));
    }

    private async Task<string> GetTextAsync(Uri url, string? headers, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, url, headers);
        using var response = await SendAsync(request, ct).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength > MaxChecksumFileBytes)
        {
            throw new SourceProbeException($"checksum file {url} is {response.Content.Headers.ContentLength} bytes, more than a checksum file's {MaxChecksumFileBytes}");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var buffer = new byte[MaxChecksumFileBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false)) > 0)
        {
            length += read;
        }

        if (length > MaxChecksumFileBytes)
        {
            throw new SourceProbeException($"checksum file {url} is larger than a checksum file's {MaxChecksumFileBytes} bytes");
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }

    private async Task<string> HeadVersionAsync(Uri url, string? headers, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Head, url, headers);
        using var response = await SendAsync(request, ct).ConfigureAwait(false);
        var parts = new List<string>();
        if (response.Headers.ETag is { } etag)
        {
            parts.Add($"etag={etag}");
        }

        if (response.Content.Headers.LastModified is { } modified)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"last-modified={modified.UtcDateTime:R}"));
        }

        if (response.Content.Headers.ContentLength is { } length)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"length={length}"));
        }

        return parts.Count > 0 ? string.Join("; ", parts)
            : throw new SourceProbeException($"{url} answers HEAD without ETag, Last-Modified or Content-Length, so a change cannot be seen: set spec.updatePolicy.checksumUrl");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new SourceProbeException($"{request.Method} {request.RequestUri}: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new SourceProbeException($"{request.Method} {request.RequestUri}: no answer within {http.Timeout.TotalSeconds:0} s");
        }

        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new SourceProbeException($"{request.Method} {request.RequestUri}: HTTP {status}");
        }

        return response;
    }

    private static HttpRequestMessage Request(HttpMethod method, Uri url, string? headers)
    {
        var request = new HttpRequestMessage(method, url);
        foreach (var line in (headers ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                request.Headers.TryAddWithoutValidation(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }

        request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        return request;
    }

    private static bool SameHost(Uri a, Uri b) => Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
