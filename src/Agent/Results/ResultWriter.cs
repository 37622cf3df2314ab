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

    /// <summary>
    /// The compact form, shrunk until it fits <paramref name="limit"/> bytes. A plan's result shrinks its steps: first
    /// each step keeps one change record per operation (the operations status shows stay known), then the largest
    /// step is shrunk as a single result would be.
    /// </summary>
    public static string SerializeBounded(AgentResult result, int limit = TerminationLogLimit)
    {
        var current = result;
        var json = Serialize(current);
        while (Encoding.UTF8.GetByteCount(json) > limit && Shrink(current) is { } smaller)
        {
            current = smaller;
            json = Serialize(current);
        }

        return json;
    }

    /// <summary>One step smaller, or null when nothing is left to drop.</summary>
    private static AgentResult? Shrink(AgentResult current)
    {
        if (current.Steps is { Count: > 0 } steps && ShrinkSteps(steps) is { } fewer)
        {
            return current with { Steps = fewer };
        }

        if (current.Changes is { Count: > 0 } changes)
        {
            var keep = changes.Count / 2;
            return current with { Changes = changes.Take(keep).ToList(), ChangesOmitted = current.ChangesOmitted + changes.Count - keep };
        }

        if (current.Warnings is { Count: > 0 })
        {
            return current with { Warnings = null };
        }

        if (current.Disk is { Partitions.Count: > 0 } disk)
        {
            return current with { Disk = disk with { Partitions = [] } };
        }

        if (current.Guest?.Mounts is not null)
        {
            return current with { Guest = current.Guest with { Mounts = null } };
        }

        return null;
    }

    private static List<AgentResult>? ShrinkSteps(IReadOnlyList<AgentResult> steps)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i].Changes is { } changes && changes.DistinctBy(c => c.Operation).Count() < changes.Count)
            {
                var distinct = changes.DistinctBy(c => c.Operation).ToList();
                return Replace(steps, i, steps[i] with { Changes = distinct, ChangesOmitted = steps[i].ChangesOmitted + changes.Count - distinct.Count });
            }
        }

        foreach (var i in Enumerable.Range(0, steps.Count).OrderByDescending(i => Serialize(steps[i]).Length))
        {
            if (Shrink(steps[i]) is { } smaller)
            {
                return Replace(steps, i, smaller);
            }
        }

        return null;
    }

    private static List<AgentResult> Replace(IReadOnlyList<AgentResult> steps, int index, AgentResult step)
    {
        var copy = steps.ToList();
        copy[index] = step;
        return copy;
    }

    public static AgentResult Deserialize(string json) =>
        JsonSerializer.Deserialize(json, AgentJsonContext.Readable.AgentResult)
        ?? throw new JsonException("empty agent result");
}
