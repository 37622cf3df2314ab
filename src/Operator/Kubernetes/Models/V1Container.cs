namespace Imprint.Operator.Kubernetes.Models;

/// <summary>One container of a pod.</summary>
public sealed class V1Container
{
    public string Name { get; set; } = string.Empty;

    public string? Image { get; set; }

    public string? ImagePullPolicy { get; set; }

    public IList<string>? Command { get; set; }

    public IList<string>? Args { get; set; }

    public IList<V1EnvVar>? Env { get; set; }

    public IList<V1VolumeMount>? VolumeMounts { get; set; }

    public IList<V1VolumeDevice>? VolumeDevices { get; set; }

    public V1ResourceRequirements? Resources { get; set; }

    public V1SecurityContext? SecurityContext { get; set; }

    public string? TerminationMessagePolicy { get; set; }

    public string? TerminationMessagePath { get; set; }

    public string? WorkingDir { get; set; }
}
