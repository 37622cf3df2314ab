using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Imprint.Agent.Customization.Spec;

/// <summary>
/// YAML side of <see cref="FileModeSpec"/>: a quoted scalar is an octal string; a plain scalar with a leading 0 or
/// "0o" is octal (YAML 1.1 / 1.2, as Kubernetes reads it); any other plain number is decimal.
/// </summary>
public sealed class FileModeSpecYamlConverter : IYamlTypeConverter
{
    public bool Accepts(Type type) => type == typeof(FileModeSpec);

    public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
    {
        var scalar = parser.Consume<Scalar>();
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted)
        {
            return FileModeSpec.Octal(scalar.Value);
        }

        var text = scalar.Value;
        return text.Length > 1 && text[0] == '0' || text.StartsWith("0o", StringComparison.Ordinal) || !text.All(char.IsAsciiDigit)
            ? FileModeSpec.Octal(text)
            : new FileModeSpec(text, IsNumber: true);
    }

    public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer)
    {
        var mode = (FileModeSpec)value!;
        emitter.Emit(new Scalar(null, null, mode.Text, mode.IsNumber ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted, true, true));
    }
}
