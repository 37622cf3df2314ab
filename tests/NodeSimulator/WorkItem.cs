using System.Text.Json.Nodes;

namespace Imprint.Testing.NodeSimulator;

/// <summary>
/// One thing for the simulator's single worker to do: reconcile an object by key (level-triggered, read fresh), or
/// react to a deletion (carrying the last state), or finish a pod whose process ended.
/// </summary>
internal readonly record struct WorkItem(WorkKind Kind, string Namespace, string Name, JsonObject? Object = null);
