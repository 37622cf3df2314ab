namespace Imprint.Agent.Errors;

/// <summary>
/// How an unexpected exception (a bug) is reported: one line naming its type and message, never a stack trace
/// (stack frames name source paths and are noise in a Job's result); <c>IMPRINT_DEBUG=1</c> adds the full detail on stderr.
/// </summary>
public static class InternalErrorReport
{
    public const string DebugVariable = "IMPRINT_DEBUG";

    public static bool DebugEnabled => Environment.GetEnvironmentVariable(DebugVariable) == "1";

    public static string Summary(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message.ReplaceLineEndings(" ").Trim();
        return $"internal error: {message} ({exception.GetType().FullName}); please report it (set {DebugVariable}=1 for details)";
    }
}
