using System.Text.Json.Nodes;

namespace Imprint.Operator.Tests.Runtime.Support;

/// <summary>Merge patches of a <see cref="TestWidget"/>'s status, as test reconcilers write it.</summary>
public static class StatusPatch
{
    public static JsonObject Phase(string phase) => new() { ["status"] = new JsonObject { ["phase"] = phase } };
}
