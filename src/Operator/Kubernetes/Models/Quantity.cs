using System.Globalization;

namespace Imprint.Operator.Kubernetes.Models;

/// <summary>
/// A Kubernetes resource quantity (<c>10Gi</c>, <c>500m</c>, <c>1.5G</c>, <c>1e3</c>): an exact decimal value plus the
/// suffix family it was written in, so formatting gives back the canonical form the API server would print.
/// </summary>
public readonly record struct Quantity(decimal Value, QuantityFormat Format)
{
    private static readonly (string Suffix, decimal Factor)[] BinarySuffixes =
    [
        ("Ei", 1152921504606846976m), ("Pi", 1125899906842624m), ("Ti", 1099511627776m),
        ("Gi", 1073741824m), ("Mi", 1048576m), ("Ki", 1024m),
    ];

    private static readonly (string Suffix, decimal Factor)[] DecimalSuffixes =
    [
        ("E", 1e18m), ("P", 1e15m), ("T", 1e12m), ("G", 1e9m), ("M", 1e6m), ("k", 1e3m), ("", 1m), ("m", 0.001m),
    ];

    public static Quantity Parse(string text) =>
        TryParse(text, out var quantity)
            ? quantity
            : throw new FormatException($"'{text}' is not a Kubernetes quantity (e.g. 10Gi, 500m, 1.5G, 1e3).");

    public static bool TryParse(string? text, out Quantity quantity)
    {
        quantity = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        var end = 0;
        if (end < s.Length && (s[end] == '+' || s[end] == '-'))
        {
            end++;
        }

        while (end < s.Length && (char.IsAsciiDigit(s[end]) || s[end] == '.'))
        {
            end++;
        }

        var number = s[..end];
        var suffix = s[end..];
        if (number.Length == 0 || number is "+" or "-"
            || !decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var mantissa))
        {
            return false;
        }

        try
        {
            if (suffix.Length > 1 && (suffix[0] == 'e' || suffix[0] == 'E')
                && int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent))
            {
                quantity = new Quantity(mantissa * Pow10(exponent), QuantityFormat.DecimalExponent);
                return true;
            }

            foreach (var (name, factor) in BinarySuffixes)
            {
                if (suffix == name)
                {
                    quantity = new Quantity(mantissa * factor, QuantityFormat.BinarySI);
                    return true;
                }
            }

            foreach (var (name, factor) in DecimalSuffixes)
            {
                if (suffix == name)
                {
                    quantity = new Quantity(mantissa * factor, QuantityFormat.DecimalSI);
                    return true;
                }
            }
        }
        catch (OverflowException)
        {
            return false;
        }

        return false;
    }

    /// <summary>An exact byte count in the largest binary unit that divides it (1073741824 → 1Gi).</summary>
    public static Quantity FromBytes(long bytes) => new(bytes, QuantityFormat.BinarySI);

    /// <summary>The value rounded up to a whole number, as Kubernetes does for byte sizes.</summary>
    public long ToBytes() => (long)decimal.Ceiling(Value);

    /// <summary>The canonical text: the largest suffix of the written family that keeps the number whole.</summary>
    public override string ToString()
    {
        if (Value == 0)
        {
            return "0";
        }

        if (Format == QuantityFormat.BinarySI && decimal.Truncate(Value) == Value)
        {
            foreach (var (name, factor) in BinarySuffixes)
            {
                if (Value % factor == 0)
                {
                    return Number(Value / factor) + name;
                }
            }

            // Under 1Ki, or not a multiple of 1024: Kubernetes falls back to decimal form.
            if (Math.Abs(Value) < 1024)
            {
                return Number(Value);
            }
        }

        if (Format == QuantityFormat.DecimalExponent)
        {
            var exponent = 0;
            var mantissa = Value;
            while (mantissa % 1000 == 0)
            {
                mantissa /= 1000;
                exponent += 3;
            }

            while (decimal.Truncate(mantissa) != mantissa)
            {
                mantissa *= 1000;
                exponent -= 3;
            }

            return exponent == 0 ? Number(mantissa) : $"{Number(mantissa)}e{exponent}";
        }

        foreach (var (name, factor) in DecimalSuffixes)
        {
            var scaled = Value / factor;
            if (decimal.Truncate(scaled) == scaled)
            {
                return Number(scaled) + name;
            }
        }

        // Finer than a milli-unit: Kubernetes rounds up to the next milli-unit.
        return Number(decimal.Ceiling(Value * 1000)) + "m";
    }

    private static string Number(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++)
        {
            result = exponent > 0 ? result * 10 : result / 10;
        }

        return result;
    }
}
