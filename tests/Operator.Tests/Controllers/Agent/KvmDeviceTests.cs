using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Kubernetes;
using k8s.Models;

namespace Imprint.Operator.Tests.Controllers.Agent;

public sealed class KvmDeviceTests
{
    private static readonly Dictionary<string, string> AnyNode = [];

    private static V1Node Node(string name, string? kvm, bool cordoned = false, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1NodeSpec { Unschedulable = cordoned ? true : null },
        Status = new V1NodeStatus { Allocatable = kvm is null ? new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4") } : new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4"), [KvmDevice.ResourceName] = new(kvm) } },
    };

    [Fact]
    public void Auto_requests_kvm_when_every_schedulable_node_allocates_it()
    {
        Assert.True(KvmDevice.EveryCandidateHasIt([Node("a", "1k"), Node("b", "110"), Node("cordoned", null, cordoned: true)], AnyNode));
    }

    [Fact]
    public void Auto_does_not_request_kvm_when_one_candidate_lacks_it_so_no_job_becomes_unschedulable()
    {
        Assert.False(KvmDevice.EveryCandidateHasIt([Node("a", "1k"), Node("plain", null)], AnyNode));
        Assert.False(KvmDevice.EveryCandidateHasIt([Node("a", "1k"), Node("zero", "0")], AnyNode));
        Assert.False(KvmDevice.EveryCandidateHasIt([], AnyNode));
    }

    [Fact]
    public void Auto_only_counts_nodes_the_agent_node_selector_admits()
    {
        var selector = new Dictionary<string, string> { ["imprint/storage"] = "fast" };
        var fast = new Dictionary<string, string> { ["imprint/storage"] = "fast" };

        Assert.True(KvmDevice.EveryCandidateHasIt([Node("kvm", "1k", labels: fast), Node("other", null)], selector));
        Assert.False(KvmDevice.EveryCandidateHasIt([Node("kvm", "1k", labels: fast), Node("fast-plain", null, labels: fast)], selector));
    }
}
