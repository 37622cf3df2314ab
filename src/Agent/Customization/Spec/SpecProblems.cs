namespace Imprint.Agent.Customization.Spec;

/// <summary>Problems found while binding a spec document, each with its field path, kept in document order.</summary>
internal sealed class SpecProblems
{
    private readonly List<(int Order, int Sequence, string Path, string Message)> _problems = [];

    public int Count => _problems.Count;

    public void Add(SpecNode node, string path, string message) => _problems.Add((node.Order, _problems.Count, path, message));

    /// <summary>"path: message" lines, in the order the nodes appear in the document.</summary>
    public IReadOnlyList<string> Lines() =>
        [.. _problems.OrderBy(p => p.Order).ThenBy(p => p.Sequence).Select(p => $"{(p.Path.Length == 0 ? "spec" : p.Path)}: {p.Message}")];

    /// <summary>
    /// True when a value check's problem at <paramref name="path"/> is about a field whose shape was already reported
    /// (the same field, one inside it, or one that contains it): such a second report would only echo the first.
    /// </summary>
    public bool Covers(string path) => _problems.Any(p => p.Path.Length == 0 || Related(p.Path, path) || Related(path, p.Path));

    private static bool Related(string outer, string inner) =>
        inner == outer || (inner.StartsWith(outer, StringComparison.Ordinal) && inner[outer.Length] is '.' or '[');
}
