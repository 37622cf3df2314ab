namespace Imprint.Operator.Runtime.Finalizers;

/// <summary>
/// Thrown by a finalizer whose cleanup has started but not finished (objects it deleted are still going): the
/// finalizer stays and the object is retried with backoff, logged as waiting rather than as a failure.
/// </summary>
public sealed class FinalizerPendingException(string message) : Exception(message);
