namespace Imprint.Operator.Kubernetes;

/// <summary>One line of a watch stream: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR and the object.</summary>
public sealed class WatchEvent<T>
    where T : class
{
    public string Type { get; set; } = string.Empty;

    public T? Object { get; set; }
}
