using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Imprint.Testing.FakeApiServer;

/// <summary>Answers matching requests with a Status error before they reach the store.</summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<FaultRule> _rules = [];

    public void Add(FaultRule rule)
    {
        lock (_gate)
            _rules.Add(rule);
    }

    public async Task<bool> TryFailAsync(HttpContext context)
    {
        FaultRule? hit;
        lock (_gate)
        {
            hit = _rules.FirstOrDefault(r => r.Match(context.Request));
            if (hit is not null && --hit.Remaining <= 0)
                _rules.Remove(hit);
        }
        if (hit is null)
            return false;
        if (hit.RetryAfter is { } delay)
        {
            var seconds = (int)Math.Ceiling(delay.TotalSeconds);
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
        var reason = StatusBodies.ReasonFor(hit.StatusCode);
        var status = StatusBodies.Failure(hit.StatusCode, reason, $"injected fault: {reason}");
        await ApiResponses.WriteJsonAsync(context, hit.StatusCode, status);
        return true;
    }
}
