using System.Text.Json;
using System.Text.RegularExpressions;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Plans;

/// <summary>
/// Reads and checks a plan before any step runs, so a bad plan costs nothing: the version, unique step names (lower-case
/// letters, digits and '-'), and each step naming a command of its own — never <c>run</c> (plans do not nest) and
/// never the options the plan itself owns (<c>--json</c>, <c>--result-file</c>, <c>--progress</c>).
/// </summary>
public static partial class PlanReader
{
    private static readonly HashSet<string> PlanOwnedOptions = ["--json", "--result-file", "--progress"];

    public static PlanDocument Read(string path, IReadOnlySet<string> commands)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw ImprintException.NotFound($"plan '{path}' does not exist");
        }

        return Parse(json, commands);
    }

    public static PlanDocument Parse(string json, IReadOnlySet<string> commands)
    {
        PlanDocument? plan;
        try
        {
            plan = JsonSerializer.Deserialize(json, PlanJsonContext.Default.PlanDocument);
        }
        catch (JsonException e)
        {
            throw ImprintException.Usage($"plan is not valid JSON: {e.Message}");
        }

        if (plan is null)
        {
            throw ImprintException.Usage("plan is empty");
        }

        if (plan.ApiVersion != PlanDocument.CurrentApiVersion)
        {
            throw ImprintException.Usage($"plan apiVersion '{plan.ApiVersion}' is not {PlanDocument.CurrentApiVersion}");
        }

        if (plan.Steps is not { Count: > 0 } steps)
        {
            throw ImprintException.Usage("plan has no steps");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var label = $"plan step {i + 1}";
            if (step.Name is not { } name || !StepName().IsMatch(name))
            {
                throw ImprintException.Usage($"{label}: name '{step.Name}' must be 1-40 lower-case letters, digits or '-'");
            }

            if (!names.Add(name))
            {
                throw ImprintException.Usage($"{label}: name '{name}' is used twice");
            }

            if (step.Args is not { Count: > 0 } args || args.Any(a => a is null))
            {
                throw ImprintException.Usage($"{label} ({name}): args must name a command and its arguments");
            }

            if (args[0] == "run" || !commands.Contains(args[0]))
            {
                throw ImprintException.Usage($"{label} ({name}): '{args[0]}' is not a command a plan can run ({string.Join(", ", commands.Where(c => c != "run").Order(StringComparer.Ordinal))})");
            }

            if (args.FirstOrDefault(a => PlanOwnedOptions.Contains(a.Split('=')[0])) is { } owned)
            {
                throw ImprintException.Usage($"{label} ({name}): {owned} belongs to the plan, not to a step");
            }
        }

        return plan;
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$")]
    private static partial Regex StepName();
}
