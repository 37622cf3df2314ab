namespace Imprint.Agent.Customization.Spec;

/// <summary>
/// One node of a spec document as written, before it is bound to <see cref="CustomizationSpec"/>: an object (keys in
/// order, duplicates kept so they can be reported), a list or a scalar. JSON and YAML both parse into this, so one
/// binder reports every problem of either with the same field paths. <see cref="Order"/> is the node's position in
/// the document, which orders the problems as the user reads the file.
/// </summary>
internal sealed class SpecNode
{
    public required SpecNodeKind Kind { get; init; }

    public required int Order { get; init; }

    /// <summary>Scalar text (null for objects, lists and null).</summary>
    public string? Text { get; init; }

    /// <summary>True for a YAML plain (unquoted) scalar, whose type is read from its text (true, 42, ~).</summary>
    public bool IsPlain { get; init; }

    public List<KeyValuePair<string, SpecNode>> Entries { get; } = [];

    public List<SpecNode> Items { get; } = [];

    /// <summary>How a "found …" in an error names this node.</summary>
    public string Describe() => Kind switch
    {
        SpecNodeKind.Object => "an object",
        SpecNodeKind.List => "a list",
        SpecNodeKind.Null => "null",
        SpecNodeKind.Number => "a number",
        SpecNodeKind.Boolean => "true or false",
        _ when IsPlain && SpecScalars.IsBoolean(Text!) => "true or false",
        _ when IsPlain && double.TryParse(Text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _) => "a number",
        _ => "a string",
    };
}
