namespace Imprint.Operator.Apis.Schema;

/// <summary>
/// An additional <c>kubectl get</c> column. Columns appear in declaration order unless <see cref="Order"/> says otherwise;
/// priority 0 shows by default, higher priorities only with <c>-o wide</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class PrinterColumnAttribute(string name, PrinterColumnType type, string jsonPath) : Attribute
{
    public string Name { get; } = name;

    public PrinterColumnType Type { get; } = type;

    public string JsonPath { get; } = jsonPath;

    public int Priority { get; set; }

    public int Order { get; set; }

    public string? Description { get; set; }

    /// <summary>OpenAPI format of the value, e.g. <c>int64</c> or <c>byte</c>.</summary>
    public string? Format { get; set; }
}
