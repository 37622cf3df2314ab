using System.Text.Json;
using Imprint.Agent.Errors;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Imprint.Agent.Customization.Spec;

/// <summary>Reads a customization spec from YAML or JSON (JSON is YAML, but strict JSON gets the strict parser).</summary>
public static class CustomizationSpecLoader
{
    public static CustomizationSpec Load(string path)
    {
        if (!File.Exists(path))
        {
            throw ImprintException.NotFound($"customization spec '{path}' does not exist");
        }

        var spec = Parse(File.ReadAllText(path), path);
        CustomizationSpecValidator.Validate(spec);
        return spec;
    }

    public static CustomizationSpec Parse(string text, string source = "spec")
    {
        try
        {
            if (text.TrimStart().StartsWith('{'))
            {
                return JsonSerializer.Deserialize(text, CustomizationJsonContext.Default.CustomizationSpec) ?? new CustomizationSpec();
            }

            var deserializer = new DeserializerBuilder()
                .WithNamingConvention(CamelCaseNamingConvention.Instance)
                .Build();
            return deserializer.Deserialize<CustomizationSpec?>(text) ?? new CustomizationSpec();
        }
        catch (Exception ex) when (ex is JsonException or YamlException)
        {
            throw ImprintException.Usage($"{source}: {ex.Message}");
        }
    }
}
