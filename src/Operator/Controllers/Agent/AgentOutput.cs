using System.Text.Json;

namespace Imprint.Operator.Controllers.Agent;

/// <summary>Reads what an agent container left behind: its result document and its progress lines.</summary>
public static class AgentOutput
{
    /// <summary>The result from a termination message, or null when the message is not a result (e.g. log fallback).</summary>
    public static AgentResultDocument? ParseResult(string? message)
    {
        if (string.IsNullOrWhiteSpace(message) || message.TrimStart()[0] != '{')
        {
            return null;
        }

        try
        {
            var result = JsonSerializer.Deserialize(message, AgentJsonContext.Default.AgentResultDocument);
            return result?.ApiVersion == AgentResultDocument.SupportedApiVersion ? result : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The last progress line in a log tail, if any.</summary>
    public static AgentProgressValue? LastProgress(string? log)
    {
        if (string.IsNullOrEmpty(log))
        {
            return null;
        }

        foreach (var line in log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Reverse())
        {
            if (!line.StartsWith("{\"progress\"", StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                if (JsonSerializer.Deserialize(line, AgentJsonContext.Default.AgentProgressDocument)?.Progress is { } progress)
                {
                    return progress;
                }
            }
            catch (JsonException)
            {
                // A line cut by the tail; an older complete one may follow.
            }
        }

        return null;
    }

    /// <summary>"45%" as status.progress wants it (never 100% before the step has finished).</summary>
    public static string Percent(double fraction) =>
        $"{Math.Clamp((int)Math.Floor(fraction * 100), 0, 99).ToString(System.Globalization.CultureInfo.InvariantCulture)}%";
}
