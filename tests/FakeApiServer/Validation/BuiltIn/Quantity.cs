using System.Globalization;
using System.Text.RegularExpressions;

namespace Imprint.Testing.FakeApiServer;

/// <summary>resource.Quantity strings (<c>10Gi</c>, <c>1.5G</c>, <c>1e9</c>, <c>500m</c>) as decimal values for comparisons.</summary>
internal static partial class Quantity
{
    private static readonly Dictionary<string, decimal> Factors = new(StringComparer.Ordinal)
    {
        [""] = 1m,
        ["Ki"] = 1L << 10,
        ["Mi"] = 1L << 20,
        ["Gi"] = 1L << 30,
        ["Ti"] = 1L << 40,
        ["Pi"] = 1L << 50,
        ["Ei"] = 1L << 60,
        ["n"] = 1e-9m,
        ["u"] = 1e-6m,
        ["m"] = 1e-3m,
        ["k"] = 1e3m,
        ["M"] = 1e6m,
        ["G"] = 1e9m,
        ["T"] = 1e12m,
        ["P"] = 1e15m,
        ["E"] = 1e18m,
    };

    /// <summary>The value, or null when the text is not a quantity (the real server answers 400 for those).</summary>
    public static decimal? Parse(string? text)
    {
        var match = text is null ? null : Syntax().Match(text);
        if (match is null || !match.Success)
            return null;
        var number = decimal.Parse(match.Groups["number"].Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var suffix = match.Groups["suffix"].Value;
        if (suffix.Length > 1 && suffix[0] is 'e' or 'E')
            return number * (decimal)Math.Pow(10, int.Parse(suffix[1..], CultureInfo.InvariantCulture));
        return number * Factors[suffix];
    }

    [GeneratedRegex(@"^(?<number>[+-]?(\d+(\.\d*)?|\.\d+))(?<suffix>Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$")]
    private static partial Regex Syntax();
}
