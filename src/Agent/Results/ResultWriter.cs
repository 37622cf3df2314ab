using System.Text;
using System.Text.Json;

namespace Imprint.Agent.Results;

/// <summary>
/// Serializes results. For the termination log Kubernetes keeps at most 4096 bytes, so a result written there is
/// shrunk by dropping change records (counting them in changesOmitted), then warnings, never the keys or the error.
/// </summary>
public static class ResultWriter
{
    public const int TerminationLogLimit = 4096;


    public static string Serialize(AgentResult result, bool indented = false)
    {
        var context = indented ? AgentJsonContext.Indented : AgentJsonContext.Readable;
        return JsonSerializer.Serialize(result, context.AgentResult);
    }

    /// <summary>The compact form, shrunk until it fits <paramref name="limit"/> bytes.</summary>
    public static string SerializeBounded(AgentResult result, int limit = TerminationLogLimit)
    {
        var current = result;
        var json = Serialize(current);
        while (Encoding.UTF8.GetByteCount(json) > limit)
        {
            if (current.Changes is { Count: > 0 } changes)
            {
                var keep = changes.Count / 2;
                current = current with { Changes = changes.Take(keep).ToList(), ChangesOmitted = current.ChangesOmitted + changes.Count - keep };
            }
            else if (current.Warnings is { Count: > 0 })
            {
                current = current with { Warnings = null };
            }
            else if (current.Disk is { Partitions.Count: > 0 } disk)
            {
                current = current with { Disk = disk with { Partitions = [] } };
            }
            else if (current.Guest?.Mounts is not null)
            {
                current = current with { Guest = current.Guest with { Mounts = null } };
            }
            else
            {
                break;
            }

            json = Serialize(current);
        }

        return json;
    }

    public static AgentResult Deserialize(string json) =>
        JsonSerializer.Deserialize(json, AgentJsonContext.Readable.AgentResult)
        ?? throw new JsonException("empty agent result");
}
