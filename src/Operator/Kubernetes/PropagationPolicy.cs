namespace Imprint.Operator.Kubernetes;

/// <summary>How deletion treats dependents (<c>propagationPolicy</c>).</summary>
public enum PropagationPolicy
{
    Background,
    Foreground,
    Orphan,
}
