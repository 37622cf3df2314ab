using System.CommandLine;
using Imprint.Agent.Plans;

namespace Imprint.Agent.Cli;

/// <summary>
/// <c>imprint run PLAN.json</c>: runs a plan's steps (each one of the other commands with its own arguments) in this
/// process, stopping at the first that fails; one result for the plan with one result per step inside. What an agent
/// Job runs, so a pod's work can be repeated locally with the same file.
/// </summary>
public static class RunCommand
{
    public static Command Build(CommandRunner runner)
    {
        var plan = new Argument<FileInfo>("plan") { Description = "Plan document (apiVersion imprint.dev/plan/v1): steps, each a command and its arguments" };
        var command = new Command("run", "Run a plan: several commands on the same disks in one process, stopping at the first failure") { plan };
        command.SetAction((parse, ct) => runner.RunAsync("run", parse, async (context, token) =>
        {
            var document = PlanReader.Read(parse.GetValue(plan)!.FullName, PlanExecutor.Commands);
            return await new PlanExecutor(context.Log, context.ProgressMode).RunAsync(document, token).ConfigureAwait(false);
        }, ct));
        return command;
    }
}
