namespace Imprint.Operator.Controllers.CloneTemplates;

/// <summary>A template string split into plain text (as <see cref="PlaceholderKind.Literal"/>) and actions, or why it is not one.</summary>
public sealed record PlaceholderParse(IReadOnlyList<Placeholder> Segments, string? Error)
{
    public bool Ok => Error is null;

    /// <summary>The actions that need a value (not literals or plain text).</summary>
    public IEnumerable<Placeholder> Actions => Segments.Where(s => s.Kind != PlaceholderKind.Literal);
}
