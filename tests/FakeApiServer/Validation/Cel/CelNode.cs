namespace Imprint.Testing.FakeApiServer;

/// <summary>The parsed form of a CEL expression.</summary>
internal abstract record CelNode
{
    public sealed record Literal(object? Value) : CelNode;

    public sealed record Identifier(string Name) : CelNode;

    public sealed record Select(CelNode Target, string Field) : CelNode;

    public sealed record Call(CelNode? Target, string Function, IReadOnlyList<CelNode> Args) : CelNode;

    public sealed record ListLiteral(IReadOnlyList<CelNode> Items) : CelNode;

    public sealed record Index(CelNode Target, CelNode Key) : CelNode;

    public sealed record Unary(string Op, CelNode Operand) : CelNode;

    public sealed record Binary(string Op, CelNode Left, CelNode Right) : CelNode;

    public sealed record Conditional(CelNode Test, CelNode Then, CelNode Else) : CelNode;
}
