using System.Text.Json.Nodes;

namespace Imprint.Testing.NodeSimulator;

/// <summary>The job controller: one pod at a time per Job, backoffLimit, activeDeadlineSeconds and the Job status it writes.</summary>
public sealed partial class NodeSimulator
{
    private const string PodNameAlphabet = "bcdfghjklmnpqrstvwxz2456789"; // k8s.io/apimachinery/pkg/util/rand
    private readonly Dictionary<string, JobState> _jobs = [];

    private void ReconcileJob(string ns, string name)
    {
        if (_server.Get("batch/v1", "jobs", ns, name) is not { } job || Obj.IsDeleting(job))
            return;
        var status = job["status"] as JsonObject ?? [];
        if (Obj.Objects(status["conditions"]).Any(c => Obj.Str(c["type"]) is "Complete" or "Failed" && Obj.Str(c["status"]) == "True"))
            return;
        var uid = Obj.Uid(job);
        if (!_jobs.TryGetValue(uid, out var state))
            _jobs[uid] = state = new JobState();

        var pods = _server.List("v1", "pods", ns).Where(p => Obj.Str(Obj.ControllerRef(p, "Job")?["uid"]) == uid).ToList();
        foreach (var pod in pods)
        {
            var phase = Obj.Str(pod["status"]?["phase"]);
            if (phase == "Succeeded")
                state.Succeeded.Add(Obj.Name(pod));
            else if (phase == "Failed" && state.Failed.Add(Obj.Name(pod)))
                state.LastFailure = DateTime.UtcNow;
        }
        var active = pods.Where(p => Obj.Str(p["status"]?["phase"]) is not ("Succeeded" or "Failed") && !Obj.IsDeleting(p)).ToList();
        var spec = job["spec"] as JsonObject ?? [];
        var now = Obj.Now();
        var startTime = Obj.Str(status["startTime"]) ?? now;
        var completions = Obj.Long(spec["completions"]) ?? 1;
        var backoffLimit = Obj.Long(spec["backoffLimit"]) ?? 6;
        var deadline = Obj.Long(spec["activeDeadlineSeconds"]);
        var suspended = Obj.Bool(spec["suspend"]);

        (string Reason, string Message)? failure = null;
        var complete = state.Succeeded.Count >= completions;
        if (!complete && state.Failed.Count > backoffLimit)
        {
            failure = ("BackoffLimitExceeded", "Job has reached the specified backoff limit");
        }
        else if (!complete && deadline is { } seconds && DateTime.UtcNow >= Obj.Time(startTime)!.Value.AddSeconds(seconds))
        {
            failure = ("DeadlineExceeded", "Job was active longer than specified deadline");
            foreach (var pod in active)
            {
                // The controller deletes the pods still running; the kubelet then stops their containers.
                state.Failed.Add(Obj.Name(pod));
                _server.Delete("v1", "pods", ns, Obj.Name(pod));
                StopPod(ns, Obj.Name(pod));
            }
            active.Clear();
        }
        else if (!complete && active.Count == 0 && !suspended)
        {
            var wait = RetryDelay(state);
            if (wait > TimeSpan.Zero)
                EnqueueAfter(new(WorkKind.Job, ns, name), wait);
            else
                active.Add(CreatePod(job));
        }
        if (deadline is { } limit && !state.DeadlineTimerSet && !complete && failure is null)
        {
            state.DeadlineTimerSet = true;
            var due = Obj.Time(startTime)!.Value.AddSeconds(limit) - DateTime.UtcNow;
            EnqueueAfter(new(WorkKind.Job, ns, name), due > TimeSpan.Zero ? due + TimeSpan.FromMilliseconds(50) : TimeSpan.Zero);
        }

        var desired = new JsonObject { ["startTime"] = startTime };
        if (active.Count > 0 && failure is null)
            desired["active"] = active.Count;
        desired["ready"] = active.Count(p => Obj.Str(p["status"]?["phase"]) == "Running");
        if (state.Succeeded.Count > 0)
            desired["succeeded"] = state.Succeeded.Count;
        if (state.Failed.Count > 0)
            desired["failed"] = state.Failed.Count;
        desired["terminating"] = 0;
        desired["uncountedTerminatedPods"] = new JsonObject();
        if (complete)
        {
            desired["completionTime"] = now;
            desired["conditions"] = Conditions(now, ("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods"),
                ("Complete", "CompletionsReached", "Reached expected number of succeeded pods"));
            _events.Record(job, "Normal", "Completed", "Job completed", "job-controller");
        }
        else if (failure is var (reason, message))
        {
            desired["conditions"] = Conditions(now, ("FailureTarget", reason, message), ("Failed", reason, message));
            _events.Record(job, "Warning", reason, message, "job-controller");
        }
        else if (status["conditions"] is { } conditions)
        {
            desired["conditions"] = conditions.DeepClone();
        }
        PatchStatus("batch/v1", "jobs", job, desired);
    }

    /// <summary>
    /// Terminal conditions as Kubernetes 1.31+ writes them: the interim SuccessCriteriaMet/FailureTarget first, then
    /// Complete/Failed, so an operator that looks at <c>conditions[0]</c> instead of the type breaks here as on a real cluster.
    /// </summary>
    private static JsonArray Conditions(string now, params (string Type, string Reason, string Message)[] conditions) =>
        new(conditions.Select(c => (JsonNode?)new JsonObject
        {
            ["type"] = c.Type,
            ["status"] = "True",
            ["lastProbeTime"] = now,
            ["lastTransitionTime"] = now,
            ["reason"] = c.Reason,
            ["message"] = c.Message,
        }).ToArray());

    private TimeSpan RetryDelay(JobState state)
    {
        if (state.LastFailure is not { } last || _options.PodFailureBackoff <= TimeSpan.Zero)
            return TimeSpan.Zero;
        var backoff = _options.PodFailureBackoff * Math.Pow(2, Math.Min(state.Failed.Count - 1, 6));
        return last + backoff - DateTime.UtcNow;
    }

    private JsonObject CreatePod(JsonObject job)
    {
        var ns = Obj.Namespace(job);
        var jobName = Obj.Name(job);
        var uid = Obj.Uid(job);
        var template = job["spec"]?["template"] as JsonObject ?? [];
        var labels = template["metadata"]?["labels"]?.DeepClone() as JsonObject ?? [];
        labels["batch.kubernetes.io/controller-uid"] = uid;
        labels["batch.kubernetes.io/job-name"] = jobName;
        labels["controller-uid"] = uid;
        labels["job-name"] = jobName;
        // generateName is the Job name truncated so that name + 5 random characters fits 63.
        var prefix = jobName + "-";
        if (prefix.Length > 58)
            prefix = prefix[..58];
        var name = prefix + string.Concat(Enumerable.Range(0, 5).Select(_ => PodNameAlphabet[Random.Shared.Next(PodNameAlphabet.Length)]));
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["generateName"] = prefix,
            ["namespace"] = ns,
            ["labels"] = labels,
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "batch/v1",
                ["kind"] = "Job",
                ["name"] = jobName,
                ["uid"] = uid,
                ["controller"] = true,
                ["blockOwnerDeletion"] = true,
            }),
        };
        if (template["metadata"]?["annotations"] is JsonObject annotations)
            metadata["annotations"] = annotations.DeepClone();
        var podSpec = template["spec"]?.DeepClone() as JsonObject ?? [];
        podSpec["terminationGracePeriodSeconds"] ??= 30;
        podSpec["schedulerName"] ??= "default-scheduler";
        podSpec["dnsPolicy"] ??= "ClusterFirst";
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = podSpec,
            // Set at creation as the API server's pod strategy does.
            ["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = QosClass(podSpec) },
        };
        var created = _server.Put(pod);
        _events.Record(job, "Normal", "SuccessfulCreate", $"Created pod: {name}", "job-controller");
        return created;
    }

    private static string QosClass(JsonObject podSpec)
    {
        var containers = Obj.Objects(podSpec["containers"]).ToList();
        var resources = containers.Select(c => c["resources"] as JsonObject ?? []).ToList();
        if (resources.All(r => (r["requests"] as JsonObject ?? []).Count == 0 && (r["limits"] as JsonObject ?? []).Count == 0))
            return "BestEffort";
        var guaranteed = resources.All(r =>
        {
            var limits = r["limits"] as JsonObject ?? [];
            var requests = r["requests"] as JsonObject ?? [];
            return limits["cpu"] is not null && limits["memory"] is not null
                && new[] { "cpu", "memory" }.All(k => requests[k] is null || JsonNode.DeepEquals(requests[k], limits[k]));
        });
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    private void JobDeleted(JsonObject job)
    {
        var uid = Obj.Uid(job);
        _jobs.Remove(uid);
        // Pods the delete cascaded to are stopped by their own DELETED event; orphaned ones are stopped here so a
        // test never leaks an agent process writing to a volume.
        foreach (var key in _running.Where(p => p.Value.JobUid == uid).Select(p => p.Key).ToList())
            StopPod(key.Namespace, key.Name);
    }
}
