namespace Imprint.Operator.Controllers.Status;

/// <summary>The standard condition types kstatus, Argo CD and Flux read.</summary>
public static class ConditionTypes
{
    public const string Ready = "Ready";
    public const string Progressing = "Progressing";
    public const string Degraded = "Degraded";

    /// <summary>kstatus reads Stalled=True as "failed and will not recover by itself" (Flux's health checks use it).</summary>
    public const string Stalled = "Stalled";
}
