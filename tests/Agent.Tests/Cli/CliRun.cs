using Imprint.Agent.Cli;
using Imprint.Agent.Results;

namespace Imprint.Agent.Tests.Cli;

/// <summary>Runs <c>imprint</c> in process, as a user or a Job would, and captures its output.</summary>
public static class CliRun
{
    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args) => await RunAsync(CancellationToken.None, args);

    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await ImprintCli.RunAsync(args, TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr), cancellationToken);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs with --json and parses the result document.</summary>
    public static async Task<(int Exit, AgentResult Result, string Stderr)> JsonAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await RunAsync([.. args, "--json"]);
        return (exit, ResultWriter.Deserialize(stdout), stderr);
    }
}
