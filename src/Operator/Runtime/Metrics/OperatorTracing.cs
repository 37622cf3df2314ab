using System.Diagnostics;

namespace Imprint.Operator.Runtime.Metrics;

/// <summary>The operator's span source: one span per reconcile, tagged with controller, key and generation.</summary>
public static class OperatorTracing
{
    public const string SourceName = "Imprint.Operator";

    public static ActivitySource Source { get; } = new(SourceName);
}
