using System.Globalization;
using System.Text.Json.Serialization;

namespace Imprint.Operator.Apis;

/// <summary>
/// A value the API server stores either as an integer or as a string (<c>x-kubernetes-int-or-string</c>), e.g. a
/// quantity (<c>10737418240</c> or <c>"10Gi"</c>) or a partition (<c>2</c> or <c>"auto"</c>). Keeps the form it was read in.
/// </summary>
[JsonConverter(typeof(IntOrStringJsonConverter))]
public sealed record IntOrString
{
    private IntOrString(long? intValue, string? stringValue)
    {
        IntValue = intValue;
        StringValue = stringValue;
    }

    public long? IntValue { get; }

    public string? StringValue { get; }

    public bool IsInt => IntValue.HasValue;

    public static IntOrString FromInt(long value) => new(value, null);

    public static IntOrString FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(null, value);
    }

    public static implicit operator IntOrString(long value) => FromInt(value);

    public static implicit operator IntOrString(string value) => FromString(value);

    public override string ToString() => IntValue?.ToString(CultureInfo.InvariantCulture) ?? StringValue!;
}
