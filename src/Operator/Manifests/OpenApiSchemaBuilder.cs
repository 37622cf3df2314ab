using System.Collections;
using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Imprint.Operator.Apis;
using Imprint.Operator.Apis.Schema;

namespace Imprint.Operator.Manifests;

/// <summary>
/// Turns C# types and their schema attributes into a structural OpenAPI v3 schema (the shape the API server requires
/// of CRDs: a type on every node, no recursion). JSON names follow the serializer: [JsonPropertyName] or camelCase.
/// </summary>
internal static class OpenApiSchemaBuilder
{
    public static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    public static string EnumName(Enum value)
    {
        var name = value.ToString();
        var field = value.GetType().GetField(name);
        return field?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? name;
    }

    /// <summary>The serialized properties of a class, in JSON-name order.</summary>
    public static IReadOnlyList<PropertyInfo> SerializedProperties(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always })
            .OrderBy(JsonName, StringComparer.Ordinal)];

    /// <summary>Element type when <paramref name="type"/> is serialized as a JSON array, else null.</summary>
    public static Type? ElementType(Type type)
    {
        if (type == typeof(string) || DictionaryValueType(type) is not null)
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type)
            ? type.GetGenericArguments()[0]
            : null;
    }

    /// <summary>Value type when <paramref name="type"/> is a string-keyed dictionary (a JSON map), else null.</summary>
    public static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IDictionary<,>) || definition == typeof(Dictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
            ? type
            : null;
        return dictionary is not null && dictionary.GetGenericArguments()[0] == typeof(string)
            ? dictionary.GetGenericArguments()[1]
            : null;
    }

    public static JsonObject ForType(Type type, string path) => ForType(type, path, [], placeholders: false);

    public static JsonObject ForProperty(PropertyInfo property, string path) => ForProperty(property, path, [], placeholders: false);

    /// <summary>
    /// The CEL rule of a string under [Placeholders]: its own pattern when it holds no action, else the placeholder grammar.
    /// </summary>
    public static JsonObject PlaceholderRule(string? ownPattern)
    {
        var grammar = $"self.matches('{CelString(SchemaPatterns.Placeholders)}')";
        var rule = ownPattern is null
            ? $"!self.contains('{{{{') || {grammar}"
            : $"self.contains('{{{{') ? {grammar} : self.matches('{CelString(ownPattern)}')";
        var message = "may use only the placeholders {{ .claim.name }}, {{ .claim.namespace }}, {{ .claim.labels[\"key\"] }}, "
            + "{{ .claim.annotations[\"key\"] }}, {{ .vm.name }} and {{ \"literal\" }}"
            + (ownPattern is null ? "" : $", and without placeholders must match {ownPattern}");
        return new JsonObject { ["rule"] = rule, ["message"] = message };
    }

    private static string CelString(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);

    private static JsonObject ForType(Type type, string path, HashSet<Type> visiting, bool placeholders)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(IntOrString))
        {
            // kubebuilder's shape for intstr and quantities: the anyOf only names the two allowed JSON types.
            return new JsonObject
            {
                ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }),
                ["x-kubernetes-int-or-string"] = true,
            };
        }

        if (type == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (type == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = type == typeof(int) ? "int32" : "int64" };
        }

        if (type == typeof(double))
        {
            return new JsonObject { ["type"] = "number", ["format"] = "double" };
        }

        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        }

        if (type.IsEnum)
        {
            var names = Enum.GetValues(type).Cast<Enum>().Select(v => (JsonNode?)EnumName(v));
            return new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. names]) };
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = ForType(valueType, path + ".*", visiting, placeholders) };
        }

        if (ElementType(type) is { } elementType)
        {
            return new JsonObject { ["type"] = "array", ["items"] = ForType(elementType, path + "[*]", visiting, placeholders) };
        }

        if (type.IsClass && type != typeof(object) && !type.Namespace!.StartsWith("System", StringComparison.Ordinal))
        {
            return ForClass(type, path, visiting, placeholders);
        }

        throw new InvalidOperationException(
            $"{path}: no schema for {type.FullName}; use a class, a primitive, a list, a map or mark the property [PreserveUnknownFields]");
    }

    private static JsonObject ForClass(Type type, string path, HashSet<Type> visiting, bool placeholders)
    {
        if (!visiting.Add(type))
        {
            throw new InvalidOperationException($"{path}: {type.Name} contains itself; structural schemas cannot recurse");
        }

        var schema = new JsonObject { ["type"] = "object" };
        if (type.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            schema["description"] = description.Description;
        }

        if (type.GetCustomAttribute<PreserveUnknownFieldsAttribute>() is not null)
        {
            schema["x-kubernetes-preserve-unknown-fields"] = true;
        }

        var properties = new JsonObject();
        var required = new List<string>();
        var rules = type.GetCustomAttributes<CelRuleAttribute>().Select(Rule).ToList();
        foreach (var property in SerializedProperties(type))
        {
            var name = JsonName(property);
            properties[name] = ForProperty(property, $"{path}.{name}", visiting, placeholders);
            var isRequired = property.GetCustomAttribute<RequiredAttribute>() is not null;
            if (isRequired)
            {
                required.Add(name);
            }
            else if (property.GetCustomAttribute<ImmutableAttribute>() is { } immutable)
            {
                // A transition rule on the field itself only runs when old and new both have it: stop removal here.
                rules.Add(new JsonObject { ["rule"] = $"!has(oldSelf.{name}) || has(self.{name})", ["message"] = immutable.Message });
            }
        }

        if (properties.Count > 0)
        {
            schema["properties"] = properties;
        }

        if (required.Count > 0)
        {
            schema["required"] = new JsonArray([.. required.Order(StringComparer.Ordinal).Select(r => (JsonNode?)r)]);
        }

        if (rules.Count > 0)
        {
            schema["x-kubernetes-validations"] = new JsonArray([.. rules]);
        }

        visiting.Remove(type);
        return schema;
    }

    private static JsonObject ForProperty(PropertyInfo property, string path, HashSet<Type> visiting, bool placeholders)
    {
        placeholders |= property.GetCustomAttribute<PlaceholdersAttribute>() is not null;
        if (property.GetCustomAttribute<PreserveUnknownFieldsAttribute>() is not null)
        {
            var free = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
            AddDescription(free, property);
            return free;
        }

        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var schema = ForType(type, path, visiting, placeholders);
        var isArray = ElementType(type) is not null;

        // Value constraints describe the items of a list (kubebuilder's "items:" markers) ...
        var values = isArray ? (JsonObject)schema["items"]! : schema;
        var templated = placeholders && (string?)values["type"] == "string" && values["enum"] is null;
        var pattern = property.GetCustomAttribute<PatternAttribute>()?.Pattern;
        if (templated && property.GetCustomAttribute<MaxLengthAttribute>() is { Length: <= 8192 })
        {
            // Bounded strings only: a CEL regex over a 64 KiB file body would blow the API server's cost budget (the
            // rule's cost times the maxItems of the lists above it; CelRuleCostTests estimates every rule); the
            // controller checks those (status condition) and the VmClone's schema checks every rendered value. An
            // unbounded string with a pattern (a file's mode) keeps the pattern: no placeholders there.
            values["x-kubernetes-validations"] = new JsonArray(PlaceholderRule(pattern));
        }
        else if (pattern is not null)
        {
            values["pattern"] = pattern;
        }

        if (property.GetCustomAttribute<FormatAttribute>() is { } format && !templated)
        {
            values["format"] = format.Format;
        }

        if (property.GetCustomAttribute<MinLengthAttribute>() is { } minLength)
        {
            values["minLength"] = minLength.Length;
        }

        if (property.GetCustomAttribute<MaxLengthAttribute>() is { } maxLength)
        {
            values["maxLength"] = maxLength.Length;
        }

        if (property.GetCustomAttribute<MinimumAttribute>() is { } minimum)
        {
            values["minimum"] = minimum.Value;
        }

        if (property.GetCustomAttribute<MaximumAttribute>() is { } maximum)
        {
            values["maximum"] = maximum.Value;
        }

        // ... while the rest describe the field itself.
        AddDescription(schema, property);
        if (property.GetCustomAttribute<DefaultAttribute>() is { } defaultValue)
        {
            schema["default"] = ToJson(defaultValue.Value, path);
        }

        if (property.GetCustomAttribute<MinItemsAttribute>() is { } minItems)
        {
            schema["minItems"] = minItems.Count;
        }

        if (property.GetCustomAttribute<MaxItemsAttribute>() is { } maxItems)
        {
            schema["maxItems"] = maxItems.Count;
        }

        if (property.GetCustomAttribute<ListMapAttribute>() is { } listMap)
        {
            CheckListMapKeys(type, listMap, path);
            schema["x-kubernetes-list-type"] = "map";
            schema["x-kubernetes-list-map-keys"] = new JsonArray([.. listMap.Keys.Select(k => (JsonNode?)k)]);
        }

        var rules = property.GetCustomAttributes<CelRuleAttribute>().Select(Rule).ToList();
        if (property.GetCustomAttribute<ImmutableAttribute>() is { } immutable)
        {
            rules.Add(new JsonObject { ["rule"] = "self == oldSelf", ["message"] = immutable.Message });
        }

        if (rules.Count > 0)
        {
            var existing = schema["x-kubernetes-validations"] as JsonArray ?? [];
            schema.Remove("x-kubernetes-validations");
            schema["x-kubernetes-validations"] = new JsonArray([.. existing.Select(r => r!.DeepClone()), .. rules]);
        }

        return schema;
    }

    private static void AddDescription(JsonObject schema, PropertyInfo property)
    {
        if (property.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            schema["description"] = description.Description;
        }
    }

    private static void CheckListMapKeys(Type listType, ListMapAttribute listMap, string path)
    {
        var itemType = ElementType(listType) ?? throw new InvalidOperationException($"{path}: [ListMap] needs a list");
        foreach (var key in listMap.Keys)
        {
            var keyProperty = SerializedProperties(itemType).FirstOrDefault(p => JsonName(p) == key);
            if (keyProperty?.GetCustomAttribute<RequiredAttribute>() is null)
            {
                throw new InvalidOperationException($"{path}: list-map key '{key}' must be a [Required] property of {itemType.Name}");
            }
        }
    }

    private static JsonObject Rule(CelRuleAttribute rule)
    {
        var node = new JsonObject { ["rule"] = rule.Rule, ["message"] = rule.Message };
        if (rule.MessageExpression is not null)
        {
            node["messageExpression"] = rule.MessageExpression;
        }

        if (rule.FieldPath is not null)
        {
            node["fieldPath"] = rule.FieldPath;
        }

        if (rule.Reason != CelRuleReason.Unset)
        {
            node["reason"] = rule.Reason.ToString();
        }

        return node;
    }

    private static JsonNode ToJson(object value, string path) => value switch
    {
        Enum e => JsonValue.Create(EnumName(e)),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        Array array => new JsonArray([.. array.Cast<object>().Select(item => (JsonNode?)ToJson(item, path))]),
        _ => throw new InvalidOperationException($"{path}: unsupported default value {value} ({value.GetType().Name})"),
    };
}
