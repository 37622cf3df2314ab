using System.Globalization;
using System.Text.Json.Serialization;

namespace Imprint.Agent.Customization.Spec;

/// <summary>
/// A file mode as written in the spec. Strings are octal ("0644", "644", "0o644"); numbers are decimal, as in
/// Kubernetes (JSON 420 = 0644), and YAML's unquoted <c>0644</c> is octal as YAML 1.1 and Kubernetes read it.
/// A number above 511 (0777) is refused rather than guessed: <c>mode: 644</c> almost always meant 0644.
/// </summary>
[JsonConverter(typeof(FileModeSpecJsonConverter))]
public sealed record FileModeSpec(string Text, bool IsNumber)
{
    public const int MaxOctal = 0b111_111_111_111;
    public const int MaxNumber = 0b111_111_111;

    public static FileModeSpec Octal(string text) => new(text, IsNumber: false);

    public static FileModeSpec Number(int value) => new(value.ToString(CultureInfo.InvariantCulture), IsNumber: true);

    /// <summary>The permission bits, or null when the text is not a valid mode (the validator says why).</summary>
    public int? Bits
    {
        get
        {
            if (IsNumber)
            {
                return int.TryParse(Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= MaxNumber ? n : null;
            }

            var digits = Text.StartsWith("0o", StringComparison.Ordinal) ? Text[2..] : Text;
            if (digits.Length is 0 or > 5 || !digits.All(c => c is >= '0' and <= '7'))
            {
                return null;
            }

            var value = Convert.ToInt32(digits, 8);
            return value <= MaxOctal ? value : null;
        }
    }

    /// <summary>The mode as a 4-digit octal string ("0644").</summary>
    public override string ToString() => Bits is { } bits ? "0" + Convert.ToString(bits, 8).PadLeft(3, '0') : Text;
}
