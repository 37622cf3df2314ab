using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Imprint.Testing.FakeApiServer;

/// <summary>Walks a value against an openAPIV3Schema node and collects field causes with real-server reasons.</summary>
internal sealed class SchemaWalker(List<FieldCause> causes, Action onSkippedCelRule)
{
    public void Validate(JsonNode? node, JsonNode? old, bool hasOld, JsonObject schema, string path)
    {
        var type = (string?)schema["type"];
        if (node is null)
        {
            if (!SchemaPruner.IsTrue(schema, "nullable") && type is not null)
                causes.Add(new("FieldValueTypeInvalid", $"Invalid value: \"null\": {path} in body must be of type {type}: \"null\"", path));
            return;
        }
        var actual = JsonTypeOf(node);
        if (SchemaPruner.IsTrue(schema, "x-kubernetes-int-or-string"))
        {
            if (actual is not ("integer" or "string"))
                causes.Add(new("FieldValueTypeInvalid", $"Invalid value: \"{actual}\": {path} in body must be of type integer-or-string: \"{actual}\"", path));
            CheckRules(node, old, hasOld, schema, path);
            return;
        }
        if (type is not null && actual != type && !(type == "number" && actual == "integer"))
        {
            causes.Add(new("FieldValueTypeInvalid", $"Invalid value: \"{actual}\": {path} in body must be of type {type}: \"{actual}\"", path));
            return;
        }
        CheckEnum(node, schema, path);
        switch (node)
        {
            case JsonObject obj:
                ValidateObject(obj, old as JsonObject, hasOld, schema, path);
                break;
            case JsonArray array:
                ValidateArray(array, schema, path);
                break;
            default:
                ValidateScalar((JsonValue)node, actual, schema, path);
                break;
        }
        CheckRules(node, old, hasOld, schema, path);
    }

    public void CheckRequired(JsonObject obj, JsonObject schema, string path, bool skipServerFields = false)
    {
        foreach (var required in (schema["required"] as JsonArray ?? []).Select(r => (string?)r))
        {
            if (required is null || obj.ContainsKey(required) || (skipServerFields && required is "apiVersion" or "kind" or "metadata"))
                continue;
            causes.Add(new("FieldValueRequired", "Required value", Join(path, required)));
        }
    }

    public void CheckRules(JsonNode? node, JsonNode? old, bool hasOld, JsonObject schema, string path)
    {
        foreach (var rule in (schema["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var text = (string?)rule["rule"] ?? "";
            var verdict = CelRuleEvaluator.Evaluate(text, node, old, hasOld);
            if (verdict is null)
            {
                onSkippedCelRule();
                continue;
            }
            if (!verdict.Value)
            {
                var message = (string?)rule["message"] ?? $"failed rule: {text}";
                causes.Add(new("FieldValueInvalid", $"Invalid value: \"{JsonTypeOf(node)}\": {message}", path.Length == 0 ? "<nil>" : path));
            }
        }
    }

    private void ValidateObject(JsonObject obj, JsonObject? old, bool hasOld, JsonObject schema, string path)
    {
        CheckRequired(obj, schema, path);
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        foreach (var (key, value) in obj)
        {
            var childSchema = properties?[key] as JsonObject ?? additional;
            if (childSchema is not null)
            {
                var childHasOld = hasOld && old is not null && old.ContainsKey(key);
                Validate(value, childHasOld ? old![key] : null, childHasOld, childSchema, Join(path, key));
            }
        }
    }

    private void ValidateArray(JsonArray array, JsonObject schema, string path)
    {
        if (Number(schema["minItems"]) is { } min && array.Count < min)
            causes.Add(new("FieldValueInvalid", $"Invalid value: {array.Count}: {path} in body should have at least {min} items", path));
        if (Number(schema["maxItems"]) is { } max && array.Count > max)
            causes.Add(new("FieldValueTooMany", $"Too many: {array.Count}: must have at most {max} items", path));
        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
                Validate(array[i], null, false, items, $"{path}[{i}]");
        }
    }

    private void ValidateScalar(JsonValue value, string actual, JsonObject schema, string path)
    {
        if (actual == "string")
        {
            var text = value.GetValue<string>();
            var length = text.EnumerateRunes().Count();
            if (Number(schema["minLength"]) is { } min && length < min)
                causes.Add(new("FieldValueInvalid", $"Invalid value: \"{text}\": {path} in body should be at least {min} chars long", path));
            if (Number(schema["maxLength"]) is { } max && length > max)
                causes.Add(new("FieldValueTooLong", $"Too long: may not be more than {max} bytes", path));
            if ((string?)schema["pattern"] is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
                causes.Add(new("FieldValueInvalid", $"Invalid value: \"{text}\": {path} in body should match '{pattern}'", path));
            return;
        }
        if (Number(value) is not { } number)
            return;
        if (Number(schema["minimum"]) is { } minimum)
        {
            var exclusive = SchemaPruner.IsTrue(schema, "exclusiveMinimum");
            if (exclusive ? number <= minimum : number < minimum)
                causes.Add(new("FieldValueInvalid", $"Invalid value: {Format(number)}: {path} in body should be greater than {(exclusive ? "" : "or equal to ")}{Format(minimum)}", path));
        }
        if (Number(schema["maximum"]) is { } maximum)
        {
            var exclusive = SchemaPruner.IsTrue(schema, "exclusiveMaximum");
            if (exclusive ? number >= maximum : number > maximum)
                causes.Add(new("FieldValueInvalid", $"Invalid value: {Format(number)}: {path} in body should be less than {(exclusive ? "" : "or equal to ")}{Format(maximum)}", path));
        }
    }

    private void CheckEnum(JsonNode node, JsonObject schema, string path)
    {
        if (schema["enum"] is not JsonArray allowed || allowed.Any(a => JsonNode.DeepEquals(a, node)))
            return;
        var list = string.Join(", ", allowed.Select(a => a?.ToJsonString()));
        causes.Add(new("FieldValueNotSupported", $"Unsupported value: {node.ToJsonString()}: supported values: {list}", path));
    }

    private static string JsonTypeOf(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => value.ToJsonString().IndexOfAny(['.', 'e', 'E']) < 0 ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };

    private static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;

    private static string Format(double number) => number.ToString(CultureInfo.InvariantCulture);

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
