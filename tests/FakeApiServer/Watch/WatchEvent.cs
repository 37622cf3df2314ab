using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>A committed change kept in the watch history; <see cref="Old"/> lets selectors see objects leave.</summary>
internal sealed record WatchEvent(string Type, ResourceKind Kind, JsonObject Object, JsonObject? Old, long ResourceVersion);
