using System.Text.Json;
using System.Text.Json.Nodes;
using Imprint.Operator.Apis;
using Imprint.Operator.Apis.V1Alpha1;

namespace Imprint.Operator.Controllers.CloneTemplates;

/// <summary>
/// Checks and fills the placeholders of a CloneTemplate's customize section (pure functions). Every string value of
/// the section, at any depth, is a template; the section goes through JSON so no field can be forgotten when
/// CustomizeSpec grows. Errors name the field as spec.customize.… so a user finds it.
/// </summary>
public static class CloneTemplateRenderer
{
    private const string Root = "spec.customize";

    /// <summary>Every string of the section that does not parse, as "field: error".</summary>
    public static IReadOnlyList<string> Validate(CustomizeSpec? customize)
    {
        var errors = new List<string>();
        foreach (var (path, text) in Strings(ToJson(customize), Root))
        {
            if (PlaceholderTemplate.Parse(text) is { Ok: false } parse)
            {
                errors.Add($"{path}: {parse.Error}");
            }
        }

        return errors;
    }

    /// <summary>The distinct placeholders the section uses, as written canonically (for status and kubectl).</summary>
    public static IReadOnlyList<string> Placeholders(CustomizeSpec? customize) =>
        [.. Strings(ToJson(customize), Root)
            .SelectMany(s => PlaceholderTemplate.Parse(s.Text).Actions)
            .Select(a => a.ToString())
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary>The section with every placeholder filled for one claim, or the errors that stop it.</summary>
    public static (CustomizeSpec? Customize, IReadOnlyList<string> Errors) Render(CustomizeSpec? customize, PlaceholderValues values)
    {
        if (customize is null)
        {
            return (null, []);
        }

        var json = ToJson(customize)!;
        var errors = new List<string>();
        RenderNode(json, Root, values, errors);
        return errors.Count > 0
            ? (null, errors)
            : (json.Deserialize(ImprintJsonContext.Default.CustomizeSpec), []);
    }

    private static JsonNode? ToJson(CustomizeSpec? customize) =>
        customize is null ? null : JsonSerializer.SerializeToNode(customize, ImprintJsonContext.Default.CustomizeSpec);

    private static void RenderNode(JsonNode node, string path, PlaceholderValues values, List<string> errors)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (child is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        obj[name] = Rendered(text, $"{path}.{name}", values, errors);
                    }
                    else if (child is not null)
                    {
                        RenderNode(child, $"{path}.{name}", values, errors);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        array[i] = Rendered(text, $"{path}[{i}]", values, errors);
                    }
                    else if (array[i] is { } child)
                    {
                        RenderNode(child, $"{path}[{i}]", values, errors);
                    }
                }

                break;
        }
    }

    private static string Rendered(string text, string path, PlaceholderValues values, List<string> errors)
    {
        var (rendered, error) = PlaceholderTemplate.Render(text, values);
        if (error is not null)
        {
            errors.Add($"{path}: {error}");
        }

        return rendered ?? text;
    }

    private static IEnumerable<(string Path, string Text)> Strings(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    foreach (var found in Strings(child, $"{path}.{name}"))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var found in Strings(array[i], $"{path}[{i}]"))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonValue value when value.TryGetValue<string>(out var text):
                yield return (path, text);
                break;
        }
    }
}
