namespace Imprint.Operator.Controllers.GoldenImages;

/// <summary>Keeps the in-use finalizer in place; the runtime retries it with backoff.</summary>
public sealed class GoldenImageInUseException(string message) : Exception(message);
