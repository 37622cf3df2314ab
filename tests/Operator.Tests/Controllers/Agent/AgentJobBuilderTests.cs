using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Kubernetes;
using k8s.Models;

namespace Imprint.Operator.Tests.Controllers.Agent;

public sealed class AgentJobBuilderTests
{
    private static readonly V1Alpha1VmClone Owner = new()
    {
        Metadata = new V1ObjectMeta { Name = "web-01", NamespaceProperty = "vms", Uid = "uid-1", Generation = 3 },
    };

    private static AgentJobRequest Request(VolumeMode mode = VolumeMode.Filesystem, AgentInput? input = null) => new()
    {
        Owner = Owner,
        Step = AgentStep.Copy,
        Attempt = 1,
        Args = ["clone", AgentDisk.Golden("golden-pvc", mode).Path, AgentDisk.Target("web-01", mode).Path, "--overwrite"],
        Disks = [AgentDisk.Golden("golden-pvc", mode), AgentDisk.Target("web-01", mode)],
        Input = input,
    };

    [Fact]
    public void Job_is_named_by_owner_step_and_attempt_and_owned_by_the_clone()
    {
        var job = AgentJobBuilder.Build(Request(), new AgentOptions());

        Assert.Equal("web-01-copy-a1", job.Metadata.Name);
        Assert.Equal("vms", job.Metadata.NamespaceProperty);
        var owner = Assert.Single(job.Metadata.OwnerReferences!);
        Assert.Equal(("VmClone", "web-01", "uid-1", true, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.Equal("copy", job.Metadata.Labels![AgentLabels.Step]);
        Assert.Equal("web-01", job.Metadata.Labels[AgentLabels.Owner]);
        Assert.Equal(job.Metadata.Labels, job.Spec.Template.Metadata!.Labels);
        Assert.Equal(0, job.Spec.BackoffLimit);
        Assert.Equal(3600, job.Spec.ActiveDeadlineSeconds);
    }

    [Fact]
    public void Building_twice_gives_the_same_job()
    {
        var a = k8s.KubernetesJson.Serialize(AgentJobBuilder.Build(Request(), new AgentOptions()));
        var b = k8s.KubernetesJson.Serialize(AgentJobBuilder.Build(Request(), new AgentOptions()));

        Assert.Equal(a, b);
    }

    [Fact]
    public void Filesystem_disks_are_mounted_with_the_golden_read_only_and_the_result_goes_to_the_termination_log()
    {
        var pod = AgentJobBuilder.Build(Request(), new AgentOptions()).Spec.Template.Spec!;
        var container = Assert.Single(pod.Containers);

        Assert.Equal(["imprint"], container.Command);
        Assert.Equal(["clone", "/disks/golden/disk.img", "/disks/target/disk.img", "--overwrite", "--result-file", "/dev/termination-log", "--progress", "lines"], container.Args);
        Assert.Equal(("/disks/golden", true), Mount(container, "golden"));
        Assert.Equal(("/disks/target", (bool?)null), Mount(container, "target"));
        Assert.True(Assert.Single(pod.Volumes!, v => v.Name == "golden").PersistentVolumeClaim!.ReadOnlyProperty);
        Assert.Equal("golden-pvc", pod.Volumes!.Single(v => v.Name == "golden").PersistentVolumeClaim!.ClaimName);
        Assert.NotNull(pod.Volumes!.Single(v => v.Name == "tmp").EmptyDir);
        Assert.Null(container.VolumeDevices);
        Assert.Equal(("/dev/termination-log", "FallbackToLogsOnError"), (container.TerminationMessagePath, container.TerminationMessagePolicy));
    }

    [Fact]
    public void Block_disks_become_devices()
    {
        var container = AgentJobBuilder.Build(Request(VolumeMode.Block), new AgentOptions()).Spec.Template.Spec!.Containers[0];

        Assert.Equal(["/dev/disks/golden", "/dev/disks/target"], container.VolumeDevices!.Select(d => d.DevicePath));
        Assert.Contains("/dev/disks/target", container.Args!);
        Assert.DoesNotContain(container.VolumeMounts!, m => m.Name is "golden" or "target");
    }

    [Fact]
    public void The_pod_runs_locked_down_without_a_service_account_token()
    {
        var pod = AgentJobBuilder.Build(Request(), new AgentOptions()).Spec.Template.Spec!;
        var container = pod.Containers[0];

        Assert.Equal("Never", pod.RestartPolicy);
        Assert.False(pod.AutomountServiceAccountToken);
        Assert.Equal("imprint-agent", pod.ServiceAccountName);
        Assert.Equal((true, 65532L, 65532L, 65532L, "RuntimeDefault"),
            (pod.SecurityContext!.RunAsNonRoot, pod.SecurityContext.RunAsUser, pod.SecurityContext.RunAsGroup, pod.SecurityContext.FsGroup, pod.SecurityContext.SeccompProfile!.Type));
        Assert.Equal((false, true), (container.SecurityContext!.AllowPrivilegeEscalation, container.SecurityContext.ReadOnlyRootFilesystem));
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities!.Drop);
        Assert.Equal("256Mi", container.Resources!.Requests!["memory"]);
        Assert.Null(container.Env);
    }

    [Fact]
    public void Inputs_are_projected_read_only_with_secret_keys_as_files_never_as_arguments()
    {
        var input = new AgentInput([
            AgentInputFile.ConfigMap("web-01-customize-input-a1", "customize.json", "customize.json"),
            AgentInputFile.Secret("root-pw", "password", "secrets/root-password"),
            AgentInputFile.Secret("root-pw", "other", "secrets/other"),
        ]);
        var pod = AgentJobBuilder.Build(Request(input: input), new AgentOptions()).Spec.Template.Spec!;

        var projected = pod.Volumes!.Single(v => v.Name == "input").Projected!;
        Assert.Equal(288, projected.DefaultMode);
        Assert.Equal(2, projected.Sources.Count);
        var secret = Assert.Single(projected.Sources, s => s.Secret is not null).Secret!;
        Assert.Equal("root-pw", secret.Name);
        Assert.Equal(["secrets/root-password", "secrets/other"], secret.Items!.Select(i => i.Path));
        Assert.Equal(("/etc/imprint/input", true), Mount(pod.Containers[0], "input"));
        Assert.DoesNotContain(pod.Containers[0].Args!, a => a.Contains("root-pw", StringComparison.Ordinal));
    }

    [Fact]
    public void Placement_and_images_come_from_the_options()
    {
        var options = new AgentOptions
        {
            Image = "registry.example/imprint-agent:1.2.3",
            NodeSelector = new() { ["imprint.dev/disk-node"] = "true" },
            Tolerations = [new TolerationOption { Key = "storage", Operator = "Exists", Effect = "NoSchedule" }],
            PriorityClassName = "system-cluster-critical",
        };
        var pod = AgentJobBuilder.Build(Request(), options).Spec.Template.Spec!;

        Assert.Equal("registry.example/imprint-agent:1.2.3", pod.Containers[0].Image);
        Assert.Equal("true", pod.NodeSelector!["imprint.dev/disk-node"]);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse("""{"key":"storage","operator":"Exists","effect":"NoSchedule"}"""), System.Text.Json.Nodes.JsonNode.Parse(k8s.KubernetesJson.Serialize(Assert.Single(pod.Tolerations!)))));
        Assert.Equal("system-cluster-critical", pod.PriorityClassName);
    }

    [Fact]
    public void A_job_in_another_namespace_than_its_owner_carries_no_owner_reference()
    {
        var job = AgentJobBuilder.Build(Request() with { Namespace = "images" }, new AgentOptions());

        Assert.Equal("images", job.Metadata.NamespaceProperty);
        Assert.Null(job.Metadata.OwnerReferences);
        Assert.Equal("web-01", job.Metadata.Labels![AgentLabels.Owner]);
    }

    [Fact]
    public void Requesting_kvm_adds_one_kubevirt_device_to_requests_and_limits_and_nothing_privileged()
    {
        var without = Assert.Single(AgentJobBuilder.Build(Request(), new AgentOptions()).Spec.Template.Spec!.Containers);
        var with = Assert.Single(AgentJobBuilder.Build(Request(), new AgentOptions(), requestKvm: true).Spec.Template.Spec!.Containers);

        Assert.False(without.Resources!.Requests!.ContainsKey(KvmDevice.ResourceName));
        Assert.False(without.Resources.Limits!.ContainsKey(KvmDevice.ResourceName));
        Assert.Equal("1", with.Resources!.Requests![KvmDevice.ResourceName].ToString());
        Assert.Equal("1", with.Resources.Limits![KvmDevice.ResourceName].ToString());
        Assert.Equal("256Mi", with.Resources.Requests["memory"].ToString());
        Assert.Equal(["ALL"], with.SecurityContext!.Capabilities!.Drop);
        Assert.Null(with.SecurityContext.Capabilities.Add);
        Assert.False(with.SecurityContext.AllowPrivilegeEscalation);
    }

    private static (string, bool?) Mount(k8s.Models.V1Container container, string volume)
    {
        var mount = container.VolumeMounts!.Single(m => m.Name == volume);
        return (mount.MountPath, mount.ReadOnlyProperty);
    }
}
