using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Models;

namespace Imprint.Operator.Tests.Kubernetes.Models;

public sealed class ModelSerializationTests
{
    [Fact]
    public void Job_serializes_camel_case_without_nulls()
    {
        var job = new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "seal-1", Namespace = "ns" },
            Spec = new V1JobSpec
            {
                BackoffLimit = 1,
                TtlSecondsAfterFinished = 600,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "imprint" } },
                    Spec = new V1PodSpec
                    {
                        RestartPolicy = "Never",
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "agent",
                                Image = "imprint:1",
                                VolumeDevices = [new V1VolumeDevice { Name = "disk", DevicePath = "/dev/xvda" }],
                                SecurityContext = new V1SecurityContext { Capabilities = new V1Capabilities { Drop = ["ALL"] }, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
                                TerminationMessagePolicy = "FallbackToLogsOnError",
                            },
                        ],
                        Volumes = [new V1Volume { Name = "disk", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "pvc" } }],
                        Tolerations = [new JsonObject { ["operator"] = "Exists" }],
                    },
                },
            },
        };

        var json = JsonNode.Parse(JsonSerializer.Serialize(job, V1Job.JsonTypeInfo))!;

        Assert.Equal("batch/v1", (string?)json["apiVersion"]);
        Assert.Equal(600, (int?)json["spec"]!["ttlSecondsAfterFinished"]);
        Assert.Null(json["status"]);
        Assert.Null(json["spec"]!["activeDeadlineSeconds"]);
        var container = json["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("/dev/xvda", (string?)container["volumeDevices"]![0]!["devicePath"]);
        Assert.Equal("ALL", (string?)container["securityContext"]!["capabilities"]!["drop"]![0]);
        Assert.Equal("RuntimeDefault", (string?)container["securityContext"]!["seccompProfile"]!["type"]);
        Assert.Equal("pvc", (string?)json["spec"]!["template"]!["spec"]!["volumes"]![0]!["persistentVolumeClaim"]!["claimName"]);
        Assert.Equal("Exists", (string?)json["spec"]!["template"]!["spec"]!["tolerations"]![0]!["operator"]);
    }

    [Fact]
    public void Pod_status_reads_terminated_container_states()
    {
        const string json = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns"},
             "spec":{"containers":[{"name":"agent"}],"nodeName":"n1"},
             "status":{"phase":"Failed","hostIP":"10.0.0.7","containerStatuses":[{"name":"agent",
               "state":{"terminated":{"exitCode":4,"reason":"Error","message":"{\"ok\":false}"}},
               "lastState":{"waiting":{"reason":"ContainerCreating"}}}]}}
            """;

        var pod = JsonSerializer.Deserialize(json, V1Pod.JsonTypeInfo)!;

        var status = Assert.Single(pod.Status!.ContainerStatuses!);
        Assert.Equal("Failed", pod.Status.Phase);
        Assert.Equal("n1", pod.Spec.NodeName);
        Assert.Equal("10.0.0.7", pod.Status.HostIP);
        Assert.Equal(4, status.State!.Terminated!.ExitCode);
        Assert.Equal("{\"ok\":false}", status.State.Terminated.Message);
        Assert.Equal("ContainerCreating", status.LastState!.Waiting!.Reason);
    }

    [Fact]
    public void Secret_byte_helpers_encode_base64()
    {
        var secret = new V1Secret { Type = "Opaque" };
        secret.SetData("ssh_host_key", Encoding.ASCII.GetBytes("key-bytes"));

        var json = JsonNode.Parse(JsonSerializer.Serialize(secret, V1Secret.JsonTypeInfo))!;
        var read = JsonSerializer.Deserialize(json.ToJsonString(), V1Secret.JsonTypeInfo)!;

        Assert.Equal(Convert.ToBase64String(Encoding.ASCII.GetBytes("key-bytes")), (string?)json["data"]!["ssh_host_key"]);
        Assert.Equal("key-bytes", Encoding.ASCII.GetString(read.GetData("ssh_host_key")!));
        Assert.Null(read.GetData("absent"));
    }

    [Fact]
    public void Kinds_know_their_api_location()
    {
        Assert.Equal("/apis/snapshot.storage.k8s.io/v1/namespaces/ns/volumesnapshots/s", V1VolumeSnapshot.Resource.ItemPath("s", "ns"));
        Assert.Equal("/apis/storage.k8s.io/v1/storageclasses", V1StorageClass.Resource.CollectionPath("ignored"));
        Assert.Equal("/api/v1/namespaces/ns/persistentvolumeclaims", V1PersistentVolumeClaim.Resource.CollectionPath("ns"));
        Assert.Equal("/apis/authorization.k8s.io/v1/subjectaccessreviews", V1SubjectAccessReview.Resource.CollectionPath(null));
        Assert.Equal("/api/v1/namespaces", V1Namespace.Resource.CollectionPath(null));
        Assert.Equal("snapshot.storage.k8s.io/v1", new V1VolumeSnapshot().ApiVersion);
    }

    [Fact]
    public void Claim_with_data_source_ref_round_trips()
    {
        var claim = new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = "clone" },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                VolumeMode = "Block",
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, string> { ["storage"] = "20Gi" } },
                DataSourceRef = new V1TypedObjectReference { ApiGroup = "snapshot.storage.k8s.io", Kind = "VolumeSnapshot", Name = "golden" },
            },
        };

        var read = JsonSerializer.Deserialize(JsonSerializer.Serialize(claim, V1PersistentVolumeClaim.JsonTypeInfo), V1PersistentVolumeClaim.JsonTypeInfo)!;

        Assert.Equal("VolumeSnapshot", read.Spec.DataSourceRef!.Kind);
        Assert.Equal(21474836480L, Quantity.Parse(read.Spec.Resources!.Requests!["storage"]).ToBytes());
    }
}
