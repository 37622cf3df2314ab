using System.Globalization;
using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Kubernetes;
using k8s;
using k8s.Models;

namespace Imprint.Operator.Controllers.Agent;

/// <summary>
/// Builds agent Jobs as a pure function of the request and the options (the contract is docs/agent-jobs.md): one
/// container running <c>imprint</c>, disks as claims (golden and source read-only), the input folder projected from a
/// ConfigMap and Secret keys, a writable /tmp, locked-down security contexts, and no retries inside the Job — the
/// controller retries from the golden disk with a new Job instead.
/// </summary>
public static class AgentJobBuilder
{
    public const string ContainerName = "agent";
    public const string TerminationLog = "/dev/termination-log";
    public const string ImprintCommand = "imprint";

    /// <param name="requestKvm">Request one <see cref="KvmDevice.ResourceName"/> (see <see cref="KvmDevice"/>).</param>
    public static V1Job Build(AgentJobRequest request, AgentOptions options, bool requestKvm = false)
    {
        var owner = request.Owner;
        var ns = request.Namespace ?? owner.Metadata.NamespaceProperty;
        var labels = Labels(request);
        return new V1Job
        {
            Metadata = new V1ObjectMeta
            {
                Name = request.Name,
                NamespaceProperty = ns,
                Labels = labels,
                Annotations = request.Annotations is { Count: > 0 } annotations ? new Dictionary<string, string>(annotations, StringComparer.Ordinal) : null,
                OwnerReferences = ns == owner.Metadata.NamespaceProperty ? [OwnerReference(owner)] : null,
            },
            Spec = new V1JobSpec
            {
                BackoffLimit = 0,
                ActiveDeadlineSeconds = options.ActiveDeadlineSeconds,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string>(labels, StringComparer.Ordinal) },
                    Spec = PodSpec(request, options, requestKvm),
                },
            },
        };
    }

    /// <summary>The controller ownerReference that lets garbage collection and the owner watch find the object.</summary>
    public static V1OwnerReference OwnerReference(IKubernetesObject<V1ObjectMeta> owner) => new()
    {
        ApiVersion = owner.ApiVersion!,
        Kind = owner.Kind!,
        Name = owner.Metadata.Name!,
        Uid = owner.Metadata.Uid ?? string.Empty,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    public static Dictionary<string, string> Labels(AgentJobRequest request)
    {
        var labels = AgentLabels.OwnedBy(request.Owner, "agent");
        labels[AgentLabels.Step] = AgentJobNames.Step(request.Step);
        labels[AgentLabels.Attempt] = request.Attempt.ToString(CultureInfo.InvariantCulture);
        labels[AgentLabels.OwnerNamespace] = request.Owner.Metadata.NamespaceProperty ?? string.Empty;
        return labels;
    }

    private static V1PodSpec PodSpec(AgentJobRequest request, AgentOptions options, bool requestKvm)
    {
        var volumes = new List<V1Volume>();
        var mounts = new List<V1VolumeMount>();
        var devices = new List<V1VolumeDevice>();
        foreach (var disk in request.Disks)
        {
            volumes.Add(new V1Volume
            {
                Name = disk.VolumeName,
                PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = disk.ClaimName, ReadOnlyProperty = disk.ReadOnly ? true : null },
            });
            if (disk.Mode == VolumeMode.Block)
            {
                devices.Add(new V1VolumeDevice { Name = disk.VolumeName, DevicePath = $"{AgentDisk.DeviceRoot}/{disk.VolumeName}" });
            }
            else
            {
                mounts.Add(new V1VolumeMount { Name = disk.VolumeName, MountPath = $"{AgentDisk.MountRoot}/{disk.VolumeName}", ReadOnlyProperty = disk.ReadOnly ? true : null });
            }
        }

        if (request.Input is { IsEmpty: false } input)
        {
            volumes.Add(new V1Volume { Name = "input", Projected = Projection(input) });
            mounts.Add(new V1VolumeMount { Name = "input", MountPath = AgentInput.MountPath, ReadOnlyProperty = true });
        }

        // debugfs, ssh-keygen and qemu-img need scratch space; the root filesystem is read-only.
        volumes.Add(new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() });
        mounts.Add(new V1VolumeMount { Name = "tmp", MountPath = "/tmp" });

        var container = new V1Container
        {
            Name = ContainerName,
            Image = options.Image,
            ImagePullPolicy = options.ImagePullPolicy,
            Command = [ImprintCommand],
            Args = [.. request.Args, "--result-file", TerminationLog, "--progress", "lines"],
            VolumeMounts = mounts,
            VolumeDevices = devices.Count > 0 ? devices : null,
            Resources = Resources(options.Resources, requestKvm),
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = true,
                RunAsNonRoot = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
            },
            TerminationMessagePath = TerminationLog,
            TerminationMessagePolicy = "FallbackToLogsOnError",
        };

        return new V1PodSpec
        {
            RestartPolicy = "Never",
            ServiceAccountName = options.ServiceAccountName,
            AutomountServiceAccountToken = false,
            PriorityClassName = options.PriorityClassName,
            NodeSelector = options.NodeSelector.Count > 0 ? new Dictionary<string, string>(options.NodeSelector) : null,
            Tolerations = options.Tolerations.Count > 0 ? [.. options.Tolerations.Select(Toleration)] : null,
            SecurityContext = new V1PodSecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = options.RunAsUser,
                RunAsGroup = options.RunAsUser,
                FsGroup = options.RunAsUser,
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            Containers = [container],
            Volumes = volumes,
        };
    }

    private static V1ResourceRequirements Resources(ResourceOptions resources, bool requestKvm)
    {
        var requests = new Dictionary<string, string>(resources.Requests);
        var limits = new Dictionary<string, string>(resources.Limits);
        if (requestKvm)
        {
            // Extended resources are whole units, requested and limited alike; the device plugin mounts /dev/kvm
            // into the container, so the pod stays unprivileged.
            requests[KvmDevice.ResourceName] = "1";
            limits[KvmDevice.ResourceName] = "1";
        }

        return new V1ResourceRequirements
        {
            Requests = requests.Count > 0 ? Quantities(requests) : null,
            Limits = limits.Count > 0 ? Quantities(limits) : null,
        };
    }

    private static V1ProjectedVolumeSource Projection(AgentInput input)
    {
        var sources = input.Files
            .GroupBy(f => (f.Source, f.ObjectName))
            .Select(group =>
            {
                List<V1KeyToPath> items = [.. group.Select(f => new V1KeyToPath { Key = f.Key, Path = f.RelativePath })];
                return group.Key.Source == AgentInputSource.Secret
                    ? new V1VolumeProjection { Secret = new V1SecretProjection { Name = group.Key.ObjectName, Items = items } }
                    : new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = group.Key.ObjectName, Items = items } };
            })
            .ToList();

        // 0440 with fsGroup: readable by the agent's group, not world-readable.
        return new V1ProjectedVolumeSource { Sources = sources, DefaultMode = 288 };
    }

    private static V1Toleration Toleration(TolerationOption t) =>
        new() { Key = t.Key, OperatorProperty = t.Operator, Value = t.Value, Effect = t.Effect, TolerationSeconds = t.TolerationSeconds };

    private static Dictionary<string, ResourceQuantity> Quantities(IReadOnlyDictionary<string, string> quantities) =>
        quantities.ToDictionary(q => q.Key, q => new ResourceQuantity(q.Value), StringComparer.Ordinal);
}
