using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>
/// Kubernetes MicroTime (Lease renewTime, Event eventTime): RFC 3339 with exactly six fractional digits in UTC. The API
/// server parses it with Go's <c>2006-01-02T15:04:05.000000Z07:00</c>, which rejects the seven digits System.Text.Json writes.
/// </summary>
public sealed class MicroTimeJsonConverter : JsonConverter<DateTimeOffset?>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string ToMicroTime(DateTimeOffset time) => time.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null
            ? null
            : DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } time)
        {
            writer.WriteStringValue(ToMicroTime(time));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
