using System.Text.Json;
using System.Text.Json.Serialization;

namespace Imprint.Agent.Customization.Spec;

/// <summary>Reads a mode from a JSON string (octal) or number (decimal) and writes it back in the same form.</summary>
public sealed class FileModeSpecJsonConverter : JsonConverter<FileModeSpec>
{
    public override FileModeSpec Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => FileModeSpec.Octal(reader.GetString()!),
        JsonTokenType.Number => reader.TryGetInt32(out var n) && n >= 0
            ? FileModeSpec.Number(n)
            : new FileModeSpec(System.Text.Encoding.UTF8.GetString(reader.ValueSpan), IsNumber: true),
        _ => throw new JsonException("mode must be an octal string such as \"0644\" or a number"),
    };

    public override void Write(Utf8JsonWriter writer, FileModeSpec value, JsonSerializerOptions options)
    {
        if (value.IsNumber && value.Bits is { } bits)
        {
            writer.WriteNumberValue(bits);
        }
        else
        {
            writer.WriteStringValue(value.Text);
        }
    }
}
