using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using k8s.Models;

namespace Imprint.Operator.Tests.Controllers.Agent;

public sealed class PlanProgressMemoryTests
{
    private static readonly AgentProgressValue Customizing = new("customize", 0.5, 5, 10, "customize");

    private static V1Alpha1VmClone Owner(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "vms", Uid = $"uid-{name}" },
    };

    private static AgentJobObservation Running(string pod, AgentProgressValue? progress = null) =>
        new(AgentJobState.Running, Progress: progress, PodName: pod);

    [Fact]
    public void A_running_pod_without_progress_keeps_the_step_it_last_reported()
    {
        var memory = new PlanProgressMemory();
        var web = Owner("web");
        memory.Apply(web, "web-plan-a0", Running("pod-1", Customizing));

        var silent = memory.Apply(web, "web-plan-a0", Running("pod-1"));

        Assert.Equal(Customizing, silent.Progress);
        Assert.Equal(AgentJobState.Running, silent.State);
    }

    [Fact]
    public void Another_pod_another_Job_or_another_owner_starts_afresh()
    {
        var memory = new PlanProgressMemory();
        var web = Owner("web");
        memory.Apply(web, "web-plan-a0", Running("pod-1", Customizing));

        Assert.Null(memory.Apply(web, "web-plan-a0", Running("pod-2")).Progress);
        Assert.Null(memory.Apply(Owner("db"), "web-plan-a0", Running("pod-1")).Progress);
        memory.Apply(web, "web-plan-a0", Running("pod-1", Customizing));
        Assert.Null(memory.Apply(web, "web-plan-a1", Running("pod-1")).Progress); // a retry's Job
    }

    [Fact]
    public void The_entry_goes_when_the_Job_finishes_or_is_gone_or_the_owner_is_deleted()
    {
        var memory = new PlanProgressMemory();
        var (a, b, c) = (Owner("a"), Owner("b"), Owner("c"));
        memory.Apply(a, "a-plan-a0", Running("pod-a", Customizing));
        memory.Apply(b, "b-plan-a0", Running("pod-b", Customizing));
        memory.Apply(c, "c-plan-a0", Running("pod-c", Customizing));
        memory.Apply(c, "c-plan-a0", Running("pod-c", Customizing with { Step = "resize" })); // replaces, does not add
        Assert.Equal(3, memory.Count);

        memory.Apply(a, "a-plan-a0", new AgentJobObservation(AgentJobState.Succeeded, PodName: "pod-a"));
        memory.Apply(b, "b-plan-a0", new AgentJobObservation(AgentJobState.Missing));
        memory.Forget(c);

        Assert.Equal(0, memory.Count);
        Assert.Null(memory.Apply(a, "a-plan-a0", Running("pod-a")).Progress); // nothing stale comes back
    }
}
