using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Security.Cryptography;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Importing;

/// <summary>
/// A read-only stream over one HTTP(S) download that survives dropped connections: on a connection error, a stall
/// or a 5xx it waits (exponential backoff) and reconnects with <c>Range: bytes=N-</c> (guarded by If-Range), or, when
/// the server ignores ranges, downloads again and skips what it already delivered. It hashes exactly the bytes it
/// delivers, so the checksum covers the file whatever the number of reconnects. Messages name the URL without its
/// query (signed URLs carry credentials there) and never a header value.
/// </summary>
public sealed class ResumableDownload(HttpClient client, Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, RetryPolicy retry, HashAlgorithmName algorithm, IProgress<CopyProgress>? progress) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(algorithm);
    private readonly Stopwatch _stopwatch = Stopwatch.StartNew();
    private HttpResponseMessage? _response;
    private Stream? _body;
    private EntityTagHeaderValue? _etag;
    private DateTimeOffset? _lastModified;
    private long _position;
    private long _skip;
    private int _failures;
    private long _lastReportTicks;

    /// <summary>The URL as it may be printed: no user info, no query.</summary>
    public string SafeUrl { get; } = new UriBuilder(url) { UserName = string.Empty, Password = string.Empty, Query = string.Empty, Fragment = string.Empty }.Uri.ToString();

    /// <summary>Size announced by the server (Content-Length of the first response); null when it sent none.</summary>
    public long? TotalLength { get; private set; }

    /// <summary>Bytes that came over the network, including any downloaded twice after a server ignored Range.</summary>
    public long BytesReceived { get; private set; }

    /// <summary>How many times the connection was re-established.</summary>
    public int Reconnects { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Connects (with retries) and reads the response headers.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await ConnectAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (TransientException ex)
            {
                await BackOffAsync(ex.Message, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The digest of every byte delivered so far, as lowercase hex.</summary>
    public string Digest() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (buffer.Length == 0 || (TotalLength is { } total && _position >= total))
            {
                return 0;
            }

            try
            {
                if (_body is null)
                {
                    await ConnectAsync(cancellationToken).ConfigureAwait(false);
                }

                int read;
                using (var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    stall.CancelAfter(retry.ReadTimeout);
                    read = await _body!.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                }

                if (read == 0)
                {
                    if (TotalLength is null)
                    {
                        return 0;
                    }

                    throw new TransientException($"the server closed the connection at byte {_position} of {TotalLength}");
                }

                BytesReceived += read;
                var skipped = (int)Math.Min(read, _skip);
                _skip -= skipped;
                if (skipped == read)
                {
                    continue;
                }

                var delivered = buffer.Slice(skipped, read - skipped);
                if (skipped > 0)
                {
                    buffer[skipped..read].CopyTo(buffer);
                    delivered = buffer[..(read - skipped)];
                }

                _hash.AppendData(delivered.Span);
                _position += delivered.Length;
                _failures = 0;
                Report(force: false);
                return delivered.Length;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or TransientException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                DropConnection();
                var reason = ex is OperationCanceledException ? $"no data for {retry.ReadTimeout.TotalSeconds:0} s" : ex.Message;
                await BackOffAsync(reason, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Reports the final position (a progress line with the whole size).</summary>
    public void ReportDone() => Report(force: true);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DropConnection();
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Report(bool force)
    {
        if (progress is null)
        {
            return;
        }

        var now = Environment.TickCount64;
        if (force || now - _lastReportTicks >= 500)
        {
            _lastReportTicks = now;
            progress.Report(new CopyProgress(_position, TotalLength ?? _position, _stopwatch.Elapsed));
        }
    }

    private async Task BackOffAsync(string reason, CancellationToken cancellationToken)
    {
        _failures++;
        if (_failures >= retry.Attempts)
        {
            throw ImprintException.NotFound($"source unreachable: {SafeUrl}: {reason} (gave up after {_failures} tries at byte {_position})");
        }

        await Task.Delay(retry.DelayFor(_failures), cancellationToken).ConfigureAwait(false);
    }

    private void DropConnection()
    {
        _body?.Dispose();
        _response?.Dispose();
        _body = null;
        _response = null;
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        DropConnection();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                throw ImprintException.Usage($"header '{name}' cannot be sent on a request");
            }
        }

        var resuming = _position > 0;
        if (resuming)
        {
            Reconnects++;
            request.Headers.Range = new RangeHeaderValue(_position, null);
            if (_etag is { IsWeak: false })
            {
                request.Headers.IfRange = new RangeConditionHeaderValue(_etag);
            }
            else if (_lastModified is { } modified)
            {
                request.Headers.IfRange = new RangeConditionHeaderValue(modified);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.InnerException is AuthenticationException)
        {
            throw new ImprintException(ExitCode.NotFound, $"source not trusted: TLS with {url.Authority} failed: {ex.InnerException.Message}", ex);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.NameResolutionError)
        {
            throw new ImprintException(ExitCode.NotFound, $"source not found: cannot resolve {url.Host}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new TransientException(ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientException("the request timed out");
        }

        var status = (int)response.StatusCode;
        if (status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
        {
            response.Dispose();
            throw new TransientException($"HTTP {status}");
        }

        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            var what = response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone ? "source not found" : "source not readable";
            throw ImprintException.NotFound($"{what}: HTTP {status} {response.ReasonPhrase} from {SafeUrl}");
        }

        if (!resuming)
        {
            TotalLength = response.Content.Headers.ContentLength;
            _etag = response.Headers.ETag;
            _lastModified = response.Content.Headers.LastModified;
        }
        else if (response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange is { } range && range.From == _position)
        {
            _skip = 0;
        }
        else
        {
            // The server ignored the range (or the file changed and If-Range sent it whole): start over, skipping
            // what was already delivered, so the stream still continues exactly where it stopped.
            _skip = _position;
            if (response.Content.Headers.ContentLength is { } length && TotalLength is { } total && length != total)
            {
                response.Dispose();
                throw ImprintException.InvalidImage($"{SafeUrl} changed during the download ({total} bytes, now {length})");
            }
        }

        _response = response;
        _body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A failure worth another try.</summary>
    private sealed class TransientException(string message) : Exception(message);
}
