using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Hosting;

/// <summary>Structured JSON logs inside a cluster (KUBERNETES_SERVICE_HOST set), readable single-line logs elsewhere.</summary>
public static class OperatorLogging
{
    public static ILoggingBuilder AddOperatorLogging(this ILoggingBuilder logging)
    {
        logging.ClearProviders();
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST")))
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }
        else
        {
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        return logging;
    }
}
