using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Imprint.Testing.FakeApiServer;

namespace Imprint.Operator.Tests.Manifests.Support;

/// <summary>
/// What the API server does to a custom resource on create/update, for the parts our CRDs use: apply schema defaults,
/// then check types, unknown fields, required, enum, pattern, lengths, ranges, item counts, formats, list-map keys and
/// x-kubernetes-validations (run with the fake API server's <see cref="CelProgram"/>; transition rules only on update).
/// </summary>
internal sealed class SchemaValidator(JsonObject schema)
{
    // Re-parsed so every number is JsonElement-backed and converts to any numeric type.
    private readonly JsonObject _schema = Reparse(schema);

    /// <summary>Only types and unknown fields: for objects filled with placeholder values.</summary>
    public bool StructureOnly { get; init; }

    /// <summary>A copy of <paramref name="obj"/> with the schema's defaults filled in.</summary>
    public JsonObject WithDefaults(JsonObject obj)
    {
        var copy = Reparse(obj);
        ApplyDefaults(_schema, copy);
        return copy;
    }

    /// <summary>Every violation of the (defaulted) object as "path: message"; metadata is the API server's business.</summary>
    public IReadOnlyList<string> Admit(JsonObject obj, JsonObject? old = null)
    {
        var errors = new List<string>();
        var root = WithDefaults(obj);
        root.Remove("metadata");
        var oldRoot = old is null ? null : WithDefaults(old);
        oldRoot?.Remove("metadata");
        Validate(_schema, root, oldRoot, string.Empty, errors);
        return errors;
    }

    private static JsonObject Reparse(JsonObject node) => JsonNode.Parse(node.ToJsonString())!.AsObject();

    private static void ApplyDefaults(JsonObject schema, JsonNode? value)
    {
        if (value is JsonObject map && schema["properties"] is JsonObject properties)
        {
            foreach (var (name, propertySchema) in properties)
            {
                if (!map.ContainsKey(name) && propertySchema!["default"] is { } defaultValue)
                {
                    map[name] = defaultValue.DeepClone();
                }

                if (map[name] is { } child)
                {
                    ApplyDefaults((JsonObject)propertySchema!, child);
                }
            }
        }
        else if (value is JsonArray list && schema["items"] is JsonObject items)
        {
            foreach (var item in list)
            {
                ApplyDefaults(items, item);
            }
        }
    }

    private void Validate(JsonObject schema, JsonNode? value, JsonNode? old, string path, List<string> errors)
    {
        var at = path.Length == 0 ? "<root>" : path;
        if (value is null)
        {
            errors.Add($"{at}: must not be null");
            return;
        }

        if (schema["x-kubernetes-int-or-string"] is not null)
        {
            if (!(IsInteger(value) || value.GetValueKind() == JsonValueKind.String))
            {
                errors.Add($"{at}: must be an integer or a string");
                return;
            }
        }
        else if (schema["type"]?.GetValue<string>() is { } type && !HasType(value, type))
        {
            errors.Add($"{at}: must be of type {type}, found {value.GetValueKind()}");
            return;
        }

        switch (value)
        {
            case JsonObject map:
                ValidateObject(schema, map, old as JsonObject, path, errors);
                break;
            case JsonArray list:
                ValidateArray(schema, list, old as JsonArray, path, errors);
                break;
            default:
                if (!StructureOnly)
                {
                    ValidateScalar(schema, (JsonValue)value, at, errors);
                }

                break;
        }

        if (!StructureOnly && schema["x-kubernetes-validations"] is JsonArray rules)
        {
            foreach (var rule in rules.Cast<JsonObject>())
            {
                var text = rule["rule"]!.GetValue<string>();
                var program = CelProgram.Compile(text);
                if (program.UsesOldSelf && old is null)
                {
                    continue;
                }

                if (!program.Evaluate(value, old))
                {
                    errors.Add($"{at}: Invalid value: {rule["message"]!.GetValue<string>()}");
                }
            }
        }
    }

    private void ValidateObject(JsonObject schema, JsonObject map, JsonObject? old, string path, List<string> errors)
    {
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        var preserve = schema["x-kubernetes-preserve-unknown-fields"] is not null;
        foreach (var (name, child) in map)
        {
            var childPath = path.Length == 0 ? name : $"{path}.{name}";
            var childSchema = properties?[name] as JsonObject ?? additional;
            if (childSchema is null)
            {
                if (!preserve)
                {
                    errors.Add($"{childPath}: unknown field");
                }

                continue;
            }

            Validate(childSchema, child, old?[name], childPath, errors);
        }

        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r!.GetValue<string>()).Where(r => !map.ContainsKey(r)))
            {
                errors.Add($"{(path.Length == 0 ? name : $"{path}.{name}")}: Required value");
            }
        }
    }

    private void ValidateArray(JsonObject schema, JsonArray list, JsonArray? old, string path, List<string> errors)
    {
        var items = (JsonObject)schema["items"]!;
        var keys = (schema["x-kubernetes-list-map-keys"] as JsonArray)?.Select(k => k!.GetValue<string>()).ToList();
        for (var i = 0; i < list.Count; i++)
        {
            // Items of a list-map correlate with the old item of the same key, so transition rules can run on them.
            var oldItem = keys is null || old is null
                ? null
                : old.FirstOrDefault(o => keys.All(k => JsonNode.DeepEquals(o?[k], list[i]?[k])));
            Validate(items, list[i], oldItem, $"{path}[{i}]", errors);
        }

        if (StructureOnly)
        {
            return;
        }

        if (schema["minItems"] is { } minItems && list.Count < minItems.GetValue<int>())
        {
            errors.Add($"{path}: should have at least {minItems} items");
        }

        if (schema["maxItems"] is { } maxItems && list.Count > maxItems.GetValue<int>())
        {
            errors.Add($"{path}: must have at most {maxItems} items");
        }

        if (keys is not null)
        {
            var seen = new HashSet<string>();
            foreach (var item in list)
            {
                var key = string.Join("/", keys.Select(k => item?[k]?.ToJsonString()));
                if (!seen.Add(key))
                {
                    errors.Add($"{path}: Duplicate value: {key}");
                }
            }
        }
    }

    private static void ValidateScalar(JsonObject schema, JsonValue value, string at, List<string> errors)
    {
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            errors.Add($"{at}: Unsupported value: {value.ToJsonString()}: supported values: {allowed.ToJsonString()}");
        }

        if (value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>();
            var length = text.EnumerateRunes().Count();
            if (schema["pattern"] is { } pattern && !Regex.IsMatch(text, pattern.GetValue<string>()))
            {
                errors.Add($"{at}: Invalid value: \"{text}\": should match '{pattern}'");
            }

            if (schema["minLength"] is { } minLength && length < minLength.GetValue<int>())
            {
                errors.Add($"{at}: should be at least {minLength} chars long");
            }

            if (schema["maxLength"] is { } maxLength && length > maxLength.GetValue<int>())
            {
                errors.Add($"{at}: Too long: may not be more than {maxLength} bytes");
            }

            if (schema["format"]?.GetValue<string>() is { } format && !StringFormats.Matches(format, text))
            {
                errors.Add($"{at}: must be of format {format}");
            }
        }
        else if (value.GetValueKind() == JsonValueKind.Number)
        {
            var number = value.GetValue<double>();
            if (schema["minimum"] is { } minimum && number < minimum.GetValue<double>())
            {
                errors.Add($"{at}: should be greater than or equal to {minimum}");
            }

            if (schema["maximum"] is { } maximum && number > maximum.GetValue<double>())
            {
                errors.Add($"{at}: should be less than or equal to {maximum}");
            }
        }
    }

    private static bool IsInteger(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.Number && value.AsValue().TryGetValue<long>(out _);

    private static bool HasType(JsonNode value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value.GetValueKind() == JsonValueKind.String,
        "boolean" => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "integer" => IsInteger(value),
        "number" => value.GetValueKind() == JsonValueKind.Number,
        _ => false,
    };
}
