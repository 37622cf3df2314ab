namespace Imprint.Testing.FakeApiServer;

/// <summary>One entry of a Status' <c>details.causes</c>.</summary>
internal sealed record FieldCause(string Reason, string Message, string Field);
