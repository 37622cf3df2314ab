using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Imprint.Testing.FakeApiServer;

/// <summary>Walks a value against an openAPIV3Schema node and collects field causes with real-server reasons.</summary>
internal sealed class SchemaWalker(List<FieldCause> causes)
{
    private static readonly ConcurrentDictionary<string, CelProgram> Programs = new(StringComparer.Ordinal);

    private readonly List<Action> _pendingRules = [];

    /// <summary>
    /// Runs the x-kubernetes-validations rules met during the walk, unless a type error blocks them: the real server
    /// then reports that some rules were not checked instead of evaluating them on ill-typed values.
    /// </summary>
    public void RunRules()
    {
        if (causes.Exists(c => c.Reason == "FieldValueTypeInvalid"))
        {
            if (_pendingRules.Count > 0)
                causes.Add(new("FieldValueInvalid", "Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation", "<nil>"));
        }
        else
        {
            _pendingRules.ForEach(rule => rule());
        }
        _pendingRules.Clear();
    }

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
            else
                ValidateScalar((JsonValue)node, actual, schema, path); // pattern and lengths apply to the string form.
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
                ValidateArray(array, hasOld ? old as JsonArray : null, schema, path);
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

    /// <summary>Runs every x-kubernetes-validations rule; transition rules (oldSelf) only where an old value exists.</summary>
    public void CheckRules(JsonNode? node, JsonNode? old, bool hasOld, JsonObject schema, string path)
    {
        if (schema["x-kubernetes-validations"] is JsonArray { Count: > 0 })
            _pendingRules.Add(() => RunRulesAt(node, old, hasOld, schema, path));
    }

    private void RunRulesAt(JsonNode? node, JsonNode? old, bool hasOld, JsonObject schema, string path)
    {
        foreach (var rule in (schema["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var text = (string?)rule["rule"] ?? "";
            var field = (string?)rule["fieldPath"] is { Length: > 0 } relative ? path + relative : path;
            field = field.Length == 0 ? "<nil>" : field;
            try
            {
                var program = Compiled(text);
                if (program.UsesOldSelf && !hasOld)
                    continue;
                if (program.Evaluate(node, old))
                    continue;
                var message = (string?)rule["message"] ?? $"failed rule: {text}";
                if ((string?)rule["messageExpression"] is { Length: > 0 } expression)
                    message = Compiled(expression).EvaluateMessage(node, old);
                var reason = (string?)rule["reason"] switch
                {
                    "FieldValueForbidden" => "FieldValueForbidden",
                    "FieldValueRequired" => "FieldValueRequired",
                    "FieldValueDuplicate" => "FieldValueDuplicate",
                    _ => "FieldValueInvalid",
                };
                causes.Add(new(reason, $"Invalid value: \"{JsonTypeOf(node)}\": {message}", field));
            }
            catch (CelException e)
            {
                // The real server reports a rule that errors at runtime as an invalid value too, never as a pass.
                causes.Add(new("FieldValueInvalid", $"Invalid value: \"{JsonTypeOf(node)}\": rule evaluation error: {e.Message}", field));
            }
        }
    }

    /// <summary>Compiles every rule and messageExpression in a schema, returning one message per expression that does not compile.</summary>
    public static IEnumerable<(string Path, string Message)> UncompilableRules(JsonObject schema, string path)
    {
        foreach (var rule in (schema["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var expression in new[] { (string?)rule["rule"], (string?)rule["messageExpression"] }.OfType<string>())
            {
                string? error = null;
                try
                {
                    Compiled(expression);
                }
                catch (CelException e)
                {
                    error = e.Message;
                }
                if (error is not null)
                    yield return (path, $"compilation failed for '{expression}': {error}");
            }
        }
        foreach (var (name, child) in schema["properties"] as JsonObject ?? [])
        {
            if (child is JsonObject childSchema)
            {
                foreach (var failure in UncompilableRules(childSchema, $"{path}.properties[{name}]"))
                    yield return failure;
            }
        }
        foreach (var key in new[] { "items", "additionalProperties" })
        {
            if (schema[key] is JsonObject nested)
            {
                foreach (var failure in UncompilableRules(nested, $"{path}.{key}"))
                    yield return failure;
            }
        }
    }

    private static CelProgram Compiled(string expression) => Programs.GetOrAdd(expression, CelProgram.Compile);

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

    private void ValidateArray(JsonArray array, JsonArray? old, JsonObject schema, string path)
    {
        if (Number(schema["minItems"]) is { } min && array.Count < min)
            causes.Add(new("FieldValueInvalid", $"Invalid value: {array.Count}: {path} in body should have at least {min} items", path));
        if (Number(schema["maxItems"]) is { } max && array.Count > max)
            causes.Add(new("FieldValueTooMany", $"Too many: {array.Count}: must have at most {max} items", path));
        var listType = (string?)schema["x-kubernetes-list-type"];
        var keys = (schema["x-kubernetes-list-map-keys"] as JsonArray ?? []).Select(k => (string?)k ?? "").ToList();
        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                // Items of a map list correlate with the old item of the same keys, so transition rules run on them.
                var oldItem = listType == "map" && old is not null
                    ? old.FirstOrDefault(o => keys.TrueForAll(k => JsonNode.DeepEquals(o?[k], array[i]?[k])))
                    : null;
                Validate(array[i], oldItem, oldItem is not null, items, $"{path}[{i}]");
            }
        }
        if (listType is "map" or "set")
        {
            var seen = new List<JsonNode?>();
            for (var i = 0; i < array.Count; i++)
            {
                JsonNode? identity = listType == "set"
                    ? array[i]
                    : new JsonObject(keys.Where(k => array[i]?[k] is not null).Select(k => KeyValuePair.Create(k, (JsonNode?)array[i]![k]!.DeepClone())));
                if (seen.Any(s => JsonNode.DeepEquals(s, identity)))
                {
                    var shown = listType == "set" ? identity?.ToJsonString() : $"map[string]interface {{}}{identity?.ToJsonString()}";
                    causes.Add(new("FieldValueDuplicate", $"Duplicate value: {shown}", $"{path}[{i}]"));
                }
                seen.Add(identity);
            }
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
            if ((string?)schema["format"] is { } format && !StringFormats.Matches(format, text))
                causes.Add(new("FieldValueInvalid", $"Invalid value: \"{text}\": {path} in body must be of type {format}: \"{text}\"", path));
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
