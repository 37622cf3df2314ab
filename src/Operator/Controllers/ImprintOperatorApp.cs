using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Imprint.Operator.Controllers;

/// <summary>
/// The operator's web app as the container runs it: the runtime with both controllers, telemetry, /healthz and /readyz,
/// and /metrics (on a port of its own when IMPRINT_METRICS_PORT is set, as the chart does). The caller registers the
/// <c>IKubernetesClient</c> first, so a test can point the same app at a fake API server.
/// </summary>
public static class ImprintOperatorApp
{
    public static WebApplication Build(WebApplicationBuilder builder, ImprintOptions imprint)
    {
        builder.Services.AddImprintOperator(o => o.LeaderElection = imprint.LeaderElection).AddImprintControllers(imprint);
        builder.Services.AddOperatorTelemetry(builder.Configuration);
        var metricsPort = builder.AddMetricsListener();
        var app = builder.Build();
        app.UseOperatorMetrics(metricsPort);
        app.MapOperatorHealth();
        return app;
    }
}
