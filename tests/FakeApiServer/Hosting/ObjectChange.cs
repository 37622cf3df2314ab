using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>A committed write: <paramref name="Type"/> is ADDED, MODIFIED or DELETED; the object is a private clone.</summary>
public sealed record ObjectChange(string Type, JsonObject Object);
