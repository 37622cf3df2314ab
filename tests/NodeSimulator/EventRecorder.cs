using System.Text.Json.Nodes;
using Imprint.Testing.FakeApiServer;

namespace Imprint.Testing.NodeSimulator;

/// <summary>
/// Writes core/v1 Events as client-go's recorder does: one object per (object, reason, message), whose count and
/// lastTimestamp go up when the same thing happens again.
/// </summary>
internal sealed class EventRecorder(FakeKubeApiServer server, string node)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Uid, string Type, string Reason, string Message), string> _names = [];

    public void Record(JsonObject involved, string type, string reason, string message, string component)
    {
        var ns = Obj.Namespace(involved);
        var key = (Obj.Uid(involved), type, reason, message);
        string? existing;
        lock (_gate)
            _names.TryGetValue(key, out existing);
        if (existing is not null && server.Get("v1", "events", ns, existing) is { } previous)
        {
            previous["count"] = (Obj.Long(previous["count"]) ?? 1) + 1;
            previous["lastTimestamp"] = Obj.Now();
            server.Put(previous);
            return;
        }
        var name = $"{Obj.Name(involved)}.{Guid.NewGuid():N}"[..^16];
        var now = Obj.Now();
        server.Put(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["involvedObject"] = new JsonObject
            {
                ["apiVersion"] = (string?)involved["apiVersion"],
                ["kind"] = Obj.Kind(involved),
                ["namespace"] = ns,
                ["name"] = Obj.Name(involved),
                ["uid"] = Obj.Uid(involved),
                ["resourceVersion"] = (string?)involved["metadata"]?["resourceVersion"],
            },
            ["reason"] = reason,
            ["message"] = message,
            ["type"] = type,
            ["source"] = new JsonObject { ["component"] = component, ["host"] = node },
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["count"] = 1,
            ["reportingComponent"] = component,
            ["reportingInstance"] = node,
        });
        lock (_gate)
            _names[key] = name;
    }
}
