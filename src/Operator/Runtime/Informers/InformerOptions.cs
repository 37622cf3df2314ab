namespace Imprint.Operator.Runtime.Informers;

/// <summary>What a <see cref="SharedInformer{T}"/> watches and how it retries.</summary>
public sealed record InformerOptions
{
    /// <summary>Namespace to watch; null watches all namespaces.</summary>
    public string? Namespace { get; init; }

    public string? LabelSelector { get; init; }

    /// <summary>Page size of the initial list and of relists.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>First reconnect delay after a failed watch; doubles per consecutive failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Server-side watch timeout; each connection picks a random value between this and twice this (as client-go).</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
