using System.Globalization;
using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>Collects field causes worded like apimachinery's field.Error constructors.</summary>
internal sealed class FieldErrors
{
    public List<FieldCause> Causes { get; } = [];

    public bool Any => Causes.Count > 0;

    public void Invalid(string field, JsonNode? value, string detail) =>
        Causes.Add(new("FieldValueInvalid", $"Invalid value: {Show(value)}: {detail}", field));

    public void Invalid(string field, string value, string detail) => Invalid(field, JsonValue.Create(value), detail);

    public void Required(string field, string? detail = null) =>
        Causes.Add(new("FieldValueRequired", detail is null ? "Required value" : $"Required value: {detail}", field));

    public void Forbidden(string field, string detail) => Causes.Add(new("FieldValueForbidden", $"Forbidden: {detail}", field));

    public void NotSupported(string field, string value, params string[] supported) =>
        Causes.Add(new("FieldValueNotSupported", $"Unsupported value: \"{value}\": supported values: {string.Join(", ", supported.Select(s => $"\"{s}\""))}", field));

    public void Duplicate(string field, string value) => Causes.Add(new("FieldValueDuplicate", $"Duplicate value: \"{value}\"", field));

    public void NotFound(string field, string value) => Causes.Add(new("FieldValueNotFound", $"Not found: \"{value}\"", field));

    public void TooLong(string field, long max) => Causes.Add(new("FieldValueTooLong", $"Too long: must have at most {max.ToString(CultureInfo.InvariantCulture)} bytes", field));

    public void Immutable(string field, JsonNode? value) => Invalid(field, value, "field is immutable");

    /// <summary>Adds one Invalid cause per problem a name rule reports.</summary>
    public void Check(string field, string value, IEnumerable<string> problems)
    {
        foreach (var problem in problems)
            Invalid(field, value, problem);
    }

    private static string Show(JsonNode? value) => value switch
    {
        null => "\"null\"",
        JsonValue v when v.TryGetValue<string>(out var s) => $"\"{s}\"",
        JsonValue v => v.ToJsonString(),
        _ => $"\"{value.ToJsonString()}\"",
    };
}
