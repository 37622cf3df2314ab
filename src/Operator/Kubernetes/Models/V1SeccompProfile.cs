namespace Imprint.Operator.Kubernetes.Models;

/// <summary>seccomp profile: RuntimeDefault, Localhost or Unconfined.</summary>
public sealed class V1SeccompProfile
{
    public string Type { get; set; } = string.Empty;

    public string? LocalhostProfile { get; set; }
}
