using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Configuration;
using k8s.Models;

namespace Imprint.Operator.Tests.Controllers.Agent;

public sealed class AgentPlanBuilderTests
{
    private static readonly V1Alpha1VmClone Owner = new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "vms", Uid = "uid-1" },
    };

    private static readonly AgentDisk Golden = AgentDisk.Golden("base-golden", VolumeMode.Filesystem);
    private static readonly AgentDisk Target = AgentDisk.Target("web", VolumeMode.Filesystem);

    private static IReadOnlyList<AgentPlanStep> Steps() =>
    [
        new(AgentStep.Copy, ["clone", Golden.Path, Target.Path, "--overwrite"], [Golden, Target]),
        new(AgentStep.Customize, ["customize", Target.Path, "--spec", AgentInput.PathOf("customize.json")], [Target])
        {
            Input = new AgentInput([AgentInputFile.ConfigMap("web-customize-input-a0", "customize.json", "customize.json"), AgentInputFile.Secret("web-root", "password", "secrets/root")]),
            InputFiles = new Dictionary<string, string> { ["customize.json"] = "{\"hostname\":\"web\"}" },
        },
        new(AgentStep.Resize, ["resize", Target.Path, "--size", "1000"], [Target with { ReadOnly = true }]),
    ];

    [Fact]
    public void Plan_job_runs_imprint_run_on_the_union_of_the_steps_disks_and_inputs_with_the_plan_in_its_configmap()
    {
        var request = AgentPlanBuilder.Request(Owner, 1, Steps(), "target=t,golden=g");
        var job = AgentJobBuilder.Build(request, new AgentOptions());

        Assert.Equal("web-plan-a1", job.Metadata.Name);
        Assert.Equal("plan", job.Metadata.Labels![AgentLabels.Step]);
        Assert.Equal("copy,customize,resize", job.Metadata.Annotations![AgentLabels.PlanSteps]);
        Assert.Equal("target=t,golden=g", job.Metadata.Annotations[AgentLabels.DiskIdentity]);
        var container = Assert.Single(job.Spec.Template.Spec.Containers);
        Assert.Equal(["run", "/etc/imprint/input/plan.json", "--result-file", "/dev/termination-log", "--progress", "lines"], container.Args);
        var volumes = job.Spec.Template.Spec.Volumes;
        Assert.Equal((true, "base-golden"), (volumes.Single(v => v.Name == "golden").PersistentVolumeClaim.ReadOnlyProperty, volumes.Single(v => v.Name == "golden").PersistentVolumeClaim.ClaimName));
        Assert.Null(volumes.Single(v => v.Name == "target").PersistentVolumeClaim.ReadOnlyProperty); // written by copy, so writable
        var projected = volumes.Single(v => v.Name == "input").Projected.Sources;
        var configMap = Assert.Single(projected, s => s.ConfigMap is not null).ConfigMap;
        Assert.Equal("web-plan-input-a1", configMap.Name);
        Assert.Equal(["plan.json", "customize.json"], configMap.Items.Select(i => i.Key));
        Assert.Equal("secrets/root", Assert.Single(projected, s => s.Secret is not null).Secret.Items.Single().Path);

        var data = AgentPlanBuilder.ConfigMapData(Steps());
        Assert.Equal("{\"hostname\":\"web\"}", data["customize.json"]);
        var plan = JsonNode.Parse(data["plan.json"])!;
        Assert.Equal("imprint.dev/plan/v1", (string?)plan["apiVersion"]);
        Assert.Equal(["copy", "customize", "resize"], plan["steps"]!.AsArray().Select(s => (string?)s!["name"]));
        Assert.Equal(Steps()[1].Args, plan["steps"]![1]!["args"]!.AsArray().Select(a => (string)a!));
    }

    [Fact]
    public void Retry_reuses_steps_an_earlier_attempt_proved_done_only_on_the_same_disks_after_a_harmless_failure()
    {
        static AgentResultDocument Step(string name, bool ok, bool? unchanged = null) => new() { Step = name, Ok = ok, DiskUnchanged = unchanged };
        static AgentResultDocument Plan(params AgentResultDocument[] steps) => new() { Command = "run", Steps = steps };
        var all = Steps();

        // customize failed without touching the disk: the copy stands.
        var done = AgentPlanRetry.ProvenDone([("id", Plan(Step("copy", true), Step("customize", false, unchanged: true)))], "id");
        Assert.Equal(["customize", "resize"], AgentPlanRetry.Remaining(all, done).Select(s => s.Name));

        // customize may have written: start over; so too on another claim, after a pod lost without a result, or with no identity.
        Assert.Empty(AgentPlanRetry.ProvenDone([("id", Plan(Step("copy", true), Step("customize", false)))], "id"));
        Assert.Empty(AgentPlanRetry.ProvenDone([("old", Plan(Step("copy", true), Step("customize", false, unchanged: true)))], "id"));
        Assert.Empty(AgentPlanRetry.ProvenDone([("id", Plan(Step("copy", true), Step("customize", false, unchanged: true))), ("id", null)], "id"));
        Assert.Empty(AgentPlanRetry.ProvenDone([("id", Plan(Step("copy", true), Step("customize", false, unchanged: true)))], null));

        // A read-only step's failure harms nothing; proofs add up across attempts.
        var golden = AgentPlanRetry.ProvenDone(
            [("g", Plan(Step("import", true), Step("inspect", false))), ("g", Plan(Step("inspect", true), Step("seal", true), Step("fingerprint", false)))], "g");
        Assert.Equal(["import", "inspect", "seal"], golden.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Each_step_is_seen_through_the_plan_job_done_running_or_failed_by_what_the_agent_reported()
    {
        var steps = new[] { "copy", "customize", "resize" };
        var running = new DiskStepRunner.PlanState(new AgentJobObservation(AgentJobState.Running, Progress: new AgentProgressValue("customize", 0, 0, 0, "customize")), steps);
        Assert.Equal(AgentJobState.Succeeded, DiskStepRunner.StepView(running, "copy").State);
        Assert.Equal(("customize", AgentJobState.Running), (DiskStepRunner.StepView(running, "customize").Progress?.Step, DiskStepRunner.StepView(running, "customize").State));
        Assert.Null(DiskStepRunner.StepView(running, "resize").Progress);

        var result = new AgentResultDocument
        {
            Command = "run",
            ExitCode = 7,
            FailedStep = "customize",
            Steps = [new() { Step = "copy", Ok = true, Copy = new AgentCopyDocument("sparse", 5, 5, 5, 1) }, new() { Step = "customize", ExitCode = 7, Error = "boom" }],
        };
        var failed = new DiskStepRunner.PlanState(new AgentJobObservation(AgentJobState.Failed, result, 7, "step customize (customize): boom"), steps);
        Assert.Equal((AgentJobState.Succeeded, 5L), (DiskStepRunner.StepView(failed, "copy").State, DiskStepRunner.StepView(failed, "copy").Result!.Copy!.BytesWritten));
        var customize = DiskStepRunner.StepView(failed, "customize");
        Assert.Equal((AgentJobState.Failed, 7, "boom"), (customize.State, customize.ExitCode, customize.Result!.Error));

        // A pod killed without a result: the step its log named last failed, those before it are done.
        var killed = new DiskStepRunner.PlanState(new AgentJobObservation(AgentJobState.Failed, null, 137, "OOMKilled", new AgentProgressValue("resize", 0, 0, 0, "resize")), steps);
        Assert.Equal(AgentJobState.Succeeded, DiskStepRunner.StepView(killed, "customize").State);
        Assert.Equal(AgentJobState.Failed, DiskStepRunner.StepView(killed, "resize").State);

        // A step not in the plan was proven done by an earlier attempt.
        Assert.Equal(AgentJobState.Succeeded, DiskStepRunner.StepView(new DiskStepRunner.PlanState(running.Observation, ["customize"]), "copy").State);
    }
}
