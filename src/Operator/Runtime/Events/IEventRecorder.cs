using Imprint.Operator.Kubernetes;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Runtime.Events;

/// <summary>Records Kubernetes Events about objects. Never blocks and never throws: events are best effort.</summary>
public interface IEventRecorder
{
    /// <param name="regarding">The object the event is about.</param>
    /// <param name="type"><see cref="EventType.Normal"/> or <see cref="EventType.Warning"/>.</param>
    /// <param name="reason">A short UpperCamelCase machine-readable reason, e.g. <c>JobFailed</c>.</param>
    /// <param name="note">A human-readable description (cut to 1 KiB).</param>
    /// <param name="action">What the controller did or failed to do; defaults to <paramref name="reason"/>.</param>
    void Record(IKubernetesObject<V1ObjectMeta> regarding, string type, string reason, string note, string? action = null);
}
