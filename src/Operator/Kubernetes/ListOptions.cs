namespace Imprint.Operator.Kubernetes;

/// <summary>Query options of list and watch calls.</summary>
public sealed record ListOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    public int? Limit { get; init; }

    public string? Continue { get; init; }

    public string? ResourceVersion { get; init; }

    public bool AllowWatchBookmarks { get; init; } = true;

    public int? TimeoutSeconds { get; init; }
}
