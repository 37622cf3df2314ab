using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Imprint.Operator.Hosting;

/// <summary>/healthz (the process answers) and /readyz (<see cref="OperatorStatus.IsReady"/>).</summary>
public static class OperatorEndpoints
{
    public static IEndpointRouteBuilder MapOperatorHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok"));
        endpoints.MapGet("/readyz", (OperatorStatus status) => status.IsReady
            ? Results.Text($"ok: {status.Describe()}")
            : Results.Text($"not ready: {status.Describe()}", statusCode: StatusCodes.Status503ServiceUnavailable));
        return endpoints;
    }
}
