using System.Text.Json;
using Imprint.Agent.Errors;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Imprint.Agent.Customization.Spec;

/// <summary>
/// Reads a customization spec from YAML or JSON (told apart by content: a leading '{' is JSON and gets the strict
/// JSON parser). Unknown fields are errors in both, so a typo such as "hostnme" is not silently ignored.
/// </summary>
public static class CustomizationSpecLoader
{
    // Built on first YAML use only: building it (reflection over the spec types, YamlDotNet's own regexes) costs tens
    // of milliseconds in a cold process, which a JSON spec — what an agent Job gets — should not pay.
    private static readonly Lazy<IDeserializer> Yaml = new(() => new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithTypeConverter(new FileModeSpecYamlConverter())
        .Build());

    /// <summary>Reads and validates the spec file at <paramref name="path"/>.</summary>
    public static CustomizationSpec Load(string path)
    {
        if (!File.Exists(path))
        {
            throw ImprintException.NotFound($"customization spec '{path}' does not exist");
        }

        var spec = Parse(File.ReadAllText(path), path);
        spec.Validate();
        return spec;
    }

    /// <summary>Parses without validating; <paramref name="source"/> names the text in error messages.</summary>
    public static CustomizationSpec Parse(string text, string source = "spec")
    {
        try
        {
            if (text.TrimStart().StartsWith('{'))
            {
                return JsonSerializer.Deserialize(text, CustomizationJsonContext.Default.CustomizationSpec) ?? new CustomizationSpec();
            }

            return Yaml.Value.Deserialize<CustomizationSpec?>(text) ?? new CustomizationSpec();
        }
        catch (JsonException ex)
        {
            throw ImprintException.Usage($"{source}: {ex.Message}");
        }
        catch (YamlException ex)
        {
            // YamlDotNet wraps the cause ("Property 'hostnme' not found…") in a generic message; show both positions' cause.
            var cause = ex.InnerException is { } inner ? inner.Message : ex.Message;
            throw ImprintException.Usage($"{source}: line {ex.Start.Line}, column {ex.Start.Column}: {cause}");
        }
    }

    /// <summary>The spec as JSON in the VmClone shape (camelCase, nulls left out).</summary>
    public static string ToJson(CustomizationSpec spec) => JsonSerializer.Serialize(spec, CustomizationJsonContext.Default.CustomizationSpec);
}
