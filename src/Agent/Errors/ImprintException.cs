namespace Imprint.Agent.Errors;

/// <summary>
/// An error a user can understand and usually fix. The CLI prints <see cref="Exception.Message"/> and exits with
/// <see cref="Code"/>; the agent Job puts both in its JSON result.
/// </summary>
public class ImprintException(ExitCode code, string message, Exception? inner = null) : Exception(message, inner)
{
    public ExitCode Code { get; } = code;

    public static ImprintException InvalidImage(string message) => new(ExitCode.InvalidImage, message);

    public static ImprintException Unsupported(string message) => new(ExitCode.Unsupported, message);

    public static ImprintException Conflict(string message) => new(ExitCode.Conflict, message);

    public static ImprintException NotFound(string message) => new(ExitCode.NotFound, message);

    public static ImprintException Usage(string message) => new(ExitCode.Usage, message);

    public static ImprintException NotWritable(string message) => new(ExitCode.NotWritable, message);
}
