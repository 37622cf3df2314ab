using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Testing.FakeApiServer;
using Imprint.Testing.NodeSimulator;

namespace Imprint.Operator.Tests.EndToEnd.Support;

/// <summary>Reads what the operator left behind — conditions, Events, Jobs, claims — in the shapes the failure tests assert on.</summary>
public static class E2eAssert
{
    /// <summary>The one condition of <paramref name="type"/>: its status, reason and observedGeneration as given; returns it for more checks.</summary>
    public static Condition Condition(IList<Condition>? conditions, string type, ConditionStatus status, string? reason, long? generation)
    {
        var condition = Assert.Single(conditions ?? [], c => c.Type == type);
        Assert.Equal(status, condition.Status);
        if (reason is not null)
        {
            Assert.Equal(reason, condition.Reason);
        }

        Assert.Equal(generation, condition.ObservedGeneration);
        return condition;
    }

    /// <summary>The operator's Events (events.k8s.io/v1) about one object, optionally of one type, oldest first.</summary>
    public static IReadOnlyList<JsonObject> Events(ImprintCluster cluster, string ns, string name, string? type = null) =>
        [.. cluster.Events(ns, name).Where(e => type is null || (string?)e["type"] == type).OrderBy(e => (string?)e["eventTime"], StringComparer.Ordinal)];

    public static string Note(JsonObject @event) => (string?)@event["note"] ?? "";

    /// <summary>The Job pods the simulator ran for one owner (Job names start with the owner's name), in start order.</summary>
    public static IReadOnlyList<JobRun> Runs(ImprintCluster cluster, string ns, string owner) =>
        [.. cluster.Simulator.Runs.Where(r => r.Namespace == ns && r.Job.StartsWith(owner + "-", StringComparison.Ordinal))];

    /// <summary>
    /// The plan an owner's plan Job ran in an attempt, as it was written to its ConfigMap (read from the change history,
    /// so it is there after cleanup): each step's name and arguments.
    /// </summary>
    public static IReadOnlyList<(string Name, IReadOnlyList<string> Args)> Plan(ImprintCluster cluster, string ns, string owner, int attempt)
    {
        var added = cluster.History("ConfigMap", ns, $"{owner}-plan-input-a{attempt}").First(c => c.Type == "ADDED");
        var plan = System.Text.Json.Nodes.JsonNode.Parse((string)added.Object["data"]!["plan.json"]!)!;
        return [.. plan["steps"]!.AsArray().Select(s => ((string)s!["name"]!, (IReadOnlyList<string>)[.. s["args"]!.AsArray().Select(a => (string)a!)]))];
    }

    /// <summary>Step names of <see cref="Plan"/>.</summary>
    public static IReadOnlyList<string> PlanSteps(ImprintCluster cluster, string ns, string owner, int attempt) =>
        [.. Plan(cluster, ns, owner, attempt).Select(s => s.Name)];

    /// <summary>Jobs that exist now for one owner (by the contract's owner label).</summary>
    public static IReadOnlyList<JsonObject> Jobs(FakeKubeApiServer server, string ns, string owner) =>
        [.. server.List("batch/v1", "jobs", ns).Where(j => (string?)j["metadata"]?["labels"]?["imprint.dev/owner"] == owner)];

    /// <summary>The uids a claim had, one per time it was created (a re-provisioned claim is a new object).</summary>
    public static IReadOnlyList<string> ClaimIncarnations(ImprintCluster cluster, string ns, string name) =>
        [.. cluster.History("PersistentVolumeClaim", ns, name).Where(c => c.Type == "ADDED").Select(c => (string)c.Object["metadata"]!["uid"]!)];

    /// <summary>Every status.phase an object went through, in order, without repeats.</summary>
    public static IReadOnlyList<string> Phases(ImprintCluster cluster, string kind, string ns, string name)
    {
        var phases = new List<string>();
        foreach (var change in cluster.History(kind, ns, name))
        {
            if ((string?)change.Object["status"]?["phase"] is { } phase && (phases.Count == 0 || phases[^1] != phase))
            {
                phases.Add(phase);
            }
        }

        return phases;
    }

    /// <summary>Every stored status of an object, oldest first.</summary>
    public static IReadOnlyList<JsonObject> Statuses(ImprintCluster cluster, string kind, string ns, string name) =>
        [.. cluster.History(kind, ns, name).Select(c => c.Object["status"]).OfType<JsonObject>()];
}
