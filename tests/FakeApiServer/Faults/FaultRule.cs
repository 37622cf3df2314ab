using Microsoft.AspNetCore.Http;

namespace Imprint.Testing.FakeApiServer;

/// <summary>An armed failure: the next <see cref="Remaining"/> matching requests get <see cref="StatusCode"/>.</summary>
internal sealed class FaultRule(Func<HttpRequest, bool> match, int statusCode, int count, TimeSpan? retryAfter)
{
    public Func<HttpRequest, bool> Match { get; } = match;

    public int StatusCode { get; } = statusCode;

    public int Remaining { get; set; } = count;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
