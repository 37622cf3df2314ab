using System.Text.Json.Nodes;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Testing.FakeApiServer;
using k8s;

namespace Imprint.Operator.Tests.Controllers.Agent;

/// <summary>The tracker over the real client and the fake API server: Job and Pod states as the job controller writes them.</summary>
public sealed class AgentJobTrackerTests : IAsyncLifetime
{
    private const string Ns = "vms";
    private FakeKubeApiServer _server = null!;
    private KubernetesClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeKubeApiServer.StartAsync();
        _client = new KubernetesClient(new KubernetesClientConfiguration { Host = _server.BaseAddress.ToString() });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_running_step_reports_the_last_progress_line_of_its_pod_log()
    {
        PutJob("web-copy-a0", status: new JsonObject { ["active"] = 1 });
        PutPod("web-copy-a0", "web-copy-a0-abcde", phase: "Running");
        _server.SetPodLog(Ns, "web-copy-a0-abcde",
            "{\"progress\":{\"stage\":\"copy\",\"fraction\":0.2,\"bytesDone\":20,\"bytesTotal\":100,\"bytesPerSecond\":1}}\n" +
            "{\"progress\":{\"stage\":\"copy\",\"fraction\":0.45,\"bytesDone\":45,\"bytesTotal\":100,\"bytesPerSecond\":1}}\n");

        var observation = await new AgentJobTracker(_client).ObserveAsync("web-copy-a0", Ns, readProgress: true, CancellationToken.None);

        Assert.Equal(AgentJobState.Running, observation.State);
        Assert.Equal("45%", AgentOutput.Percent(observation.Progress!.Fraction));
        Assert.Equal("web-copy-a0-abcde", observation.PodName);
    }

    [Fact]
    public async Task A_failed_step_carries_the_agents_exit_code_and_error_from_the_termination_message()
    {
        PutJob("web-customize-a1", status: new JsonObject
        {
            ["failed"] = 1,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Failed", ["status"] = "True", ["reason"] = "BackoffLimitExceeded" }),
        });
        PutPod("web-customize-a1", "web-customize-a1-xyzab", phase: "Failed", terminated: new JsonObject
        {
            ["exitCode"] = 7,
            ["reason"] = "Error",
            ["message"] = "{\"apiVersion\":\"imprint.dev/agent-result/v1\",\"command\":\"customize\",\"ok\":false,\"exitCode\":7,\"error\":\"ssh-keygen failed: no entropy\"}",
        });

        var observation = await new AgentJobTracker(_client).ObserveAsync("web-customize-a1", Ns, readProgress: true, CancellationToken.None);

        Assert.Equal((AgentJobState.Failed, 7, "ssh-keygen failed: no entropy"), (observation.State, observation.ExitCode!.Value, observation.FailureMessage!));
    }

    [Fact]
    public async Task A_job_that_succeeded_without_a_readable_result_is_not_taken_as_success()
    {
        PutJob("web-resize-a0", status: new JsonObject
        {
            ["succeeded"] = 1,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Complete", ["status"] = "True" }),
        });
        PutPod("web-resize-a0", "web-resize-a0-qwert", phase: "Succeeded", terminated: new JsonObject { ["exitCode"] = 0, ["message"] = "resized\n" });

        var observation = await new AgentJobTracker(_client).ObserveAsync("web-resize-a0", Ns, readProgress: false, CancellationToken.None);

        Assert.Equal(AgentJobState.Failed, observation.State);
        Assert.Contains("no readable result", observation.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_that_does_not_exist_is_missing() =>
        Assert.Equal(AgentJobState.Missing, (await new AgentJobTracker(_client).ObserveAsync("nope", Ns, readProgress: true, CancellationToken.None)).State);

    private void PutJob(string name, JsonObject status) => _server.Put(new JsonObject
    {
        ["apiVersion"] = "batch/v1",
        ["kind"] = "Job",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
        ["spec"] = new JsonObject { ["backoffLimit"] = 0, ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "agent" }) } } },
        ["status"] = status,
    });

    private void PutPod(string job, string name, string phase, JsonObject? terminated = null) => _server.Put(new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns, ["labels"] = new JsonObject { ["job-name"] = job } },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "agent" }) },
        ["status"] = new JsonObject
        {
            ["phase"] = phase,
            ["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = "agent",
                ["state"] = terminated is null ? new JsonObject { ["running"] = new JsonObject() } : new JsonObject { ["terminated"] = terminated },
            }),
        },
    });
}
