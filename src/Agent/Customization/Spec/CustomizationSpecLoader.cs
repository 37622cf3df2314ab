using System.Text.Json;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Customization.Spec;

/// <summary>
/// Reads a customization spec from YAML or JSON (told apart by content: a leading '{' is JSON). Wrong types, unknown
/// fields (a typo such as "hostnme") and duplicate keys are errors, all reported at once with their field paths.
/// </summary>
public static class CustomizationSpecLoader
{
    /// <summary>
    /// Largest spec file read. A spec is settings plus small inline files: Kubernetes caps a whole object at about
    /// 1.5 MiB, and large file contents belong in contentFile, which is streamed from disk instead of held in memory.
    /// </summary>
    public const long MaxSpecBytes = 16L << 20;

    /// <summary>Reads and validates the spec file at <paramref name="path"/>, reporting every problem at once.</summary>
    public static CustomizationSpec Load(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw ImprintException.NotFound($"customization spec '{path}' does not exist");
        }

        if (file.Length > MaxSpecBytes)
        {
            throw ImprintException.Usage(
                $"customization spec '{path}' is {file.Length} bytes, over the {MaxSpecBytes >> 20} MiB limit; give large files as contentFile (streamed from disk) rather than content or base64");
        }

        var (spec, problems) = Read(File.ReadAllText(path), path);
        var errors = problems.Lines().Concat(CustomizationSpecValidator.Errors(spec).Where(e => !problems.Covers(PathOf(e)))).ToList();
        if (errors.Count > 0)
        {
            throw CustomizationSpecValidator.Invalid(errors);
        }

        return spec;
    }

    /// <summary>
    /// Parses and checks the document's shape (types, unknown and duplicate keys) without the value checks of
    /// <see cref="CustomizationSpec.Validate"/>; <paramref name="source"/> names the text in syntax errors.
    /// </summary>
    public static CustomizationSpec Parse(string text, string source = "spec")
    {
        var (spec, problems) = Read(text, source);
        if (problems.Count > 0)
        {
            throw CustomizationSpecValidator.Invalid(problems.Lines());
        }

        return spec;
    }

    /// <summary>The spec as JSON in the VmClone shape (camelCase, nulls left out).</summary>
    public static string ToJson(CustomizationSpec spec) => JsonSerializer.Serialize(spec, CustomizationJsonContext.Default.CustomizationSpec);

    private static (CustomizationSpec Spec, SpecProblems Problems) Read(string text, string source)
    {
        var problems = new SpecProblems();
        var spec = CustomizationSpecReader.Read(SpecDocumentParser.Parse(text, source), problems);
        return (spec, problems);
    }

    // Validator lines are "path: message"; the path never holds ": ".
    private static string PathOf(string error) => error[..Math.Max(0, error.IndexOf(": ", StringComparison.Ordinal))];
}
