namespace Imprint.Testing.FakeApiServer;

/// <summary>A CEL rule the evaluator cannot compile (unsupported syntax or function) or that failed while running.</summary>
public sealed class CelException(string message) : Exception(message);
