using System.Globalization;

namespace Imprint.Agent.Lvm;

/// <summary>A value in LVM's text format: a string, an integer, a float (kept as written) or a flat list of those.</summary>
public sealed record LvmConfigValue(LvmValueKind Kind, string? Text, long Integer, IReadOnlyList<LvmConfigValue>? Items)
{
    public static LvmConfigValue FromString(string text) => new(LvmValueKind.String, text, 0, null);

    public static LvmConfigValue FromInteger(long value) => new(LvmValueKind.Integer, null, value, null);

    public static LvmConfigValue FromList(IReadOnlyList<LvmConfigValue> items) => new(LvmValueKind.List, null, 0, items);

    public override string ToString() => Kind switch
    {
        LvmValueKind.Integer => Integer.ToString(CultureInfo.InvariantCulture),
        LvmValueKind.List => $"[{string.Join(", ", Items!)}]",
        _ => Text ?? string.Empty,
    };
}
