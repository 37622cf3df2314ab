using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Imprint.Testing.NodeSimulator;

/// <summary>
/// Scheduler + kubelet: a Pending pod whose claims are all Bound (WaitForFirstConsumer claims are bound for it) and
/// whose ConfigMaps/Secrets exist runs its first container as a local process; its exit becomes the pod status.
/// </summary>
public sealed partial class NodeSimulator
{
    private const string PodIp = "127.0.0.1";
    private const int TerminationMessageLimit = 4096; // kubelet's cap on the termination-log file
    private const int FallbackLogLines = 80;
    private const int FallbackLogBytes = 2048;
    private readonly Dictionary<(string Namespace, string Name), RunningPod> _running = [];
    private readonly HashSet<(string Namespace, string Name)> _started = [];

    private void ReconcilePod(string ns, string name)
    {
        if (_server.Get("v1", "pods", ns, name) is not { } pod)
            return;
        if (Obj.IsDeleting(pod))
        {
            StopPod(ns, name);
            return;
        }
        if (_started.Contains((ns, name)) || Obj.Str(pod["status"]?["phase"]) is not (null or "Pending"))
            return;
        if (!Schedulable(pod))
            return;
        var (sandbox, failedMount) = PodSandbox.Prepare(pod, _server, _store, BlockDevicesAreLoops);
        if (sandbox is null)
        {
            _events.Record(pod, "Warning", "FailedMount", failedMount!, "kubelet");
            SetPendingStatus(pod, scheduled: true, waitingReason: "ContainerCreating");
            return;
        }
        StartPod(pod, sandbox);
    }

    /// <summary>The scheduler's volume binding: every claim Bound, or asked to bind here (WaitForFirstConsumer).</summary>
    private bool Schedulable(JsonObject pod)
    {
        var ns = Obj.Namespace(pod);
        var problems = new List<string>();
        var waitingForProvisioning = false;
        foreach (var volume in Obj.Objects(pod["spec"]?["volumes"]))
        {
            if (Obj.Str(volume["persistentVolumeClaim"]?["claimName"]) is not { } claimName)
                continue;
            var pvc = _server.Get("v1", "persistentvolumeclaims", ns, claimName);
            if (pvc is null)
            {
                problems.Add($"persistentvolumeclaim \"{claimName}\" not found");
                continue;
            }
            if (Obj.IsDeleting(pvc))
            {
                problems.Add($"persistentvolumeclaim \"{claimName}\" is being deleted");
                continue;
            }
            if (Obj.Str(pvc["status"]?["phase"]) == "Bound")
                continue;
            if (BindingMode(ClassOf(pvc)) == VolumeBindingMode.WaitForFirstConsumer)
            {
                waitingForProvisioning = true;
                if (Obj.Annotation(pvc, SelectedNodeAnnotation) is null)
                {
                    _server.Patch("v1", "persistentvolumeclaims", ns, claimName,
                        new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [SelectedNodeAnnotation] = _options.NodeName } } });
                }
                continue;
            }
            problems.Add("pod has unbound immediate PersistentVolumeClaims");
        }
        if (problems.Count > 0)
        {
            var message = $"0/1 nodes are available: {string.Join(", ", problems.Distinct())}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
            SetPendingStatus(pod, scheduled: false, unschedulable: message);
            return false;
        }
        return !waitingForProvisioning;
    }

    private void SetPendingStatus(JsonObject pod, bool scheduled, string? unschedulable = null, string? waitingReason = null)
    {
        var current = pod["status"] as JsonObject ?? [];
        var scheduledCondition = Obj.Objects(current["conditions"]).FirstOrDefault(c => Obj.Str(c["type"]) == "PodScheduled");
        var wanted = scheduled ? "True" : "False";
        if (scheduledCondition is not null && Obj.Str(scheduledCondition["status"]) == wanted && Obj.Str(scheduledCondition["message"]) == unschedulable
            && (waitingReason is null || current["containerStatuses"] is not null))
        {
            return; // unchanged: no write, so no event storm
        }
        var now = Obj.Now();
        var condition = new JsonObject { ["type"] = "PodScheduled", ["status"] = wanted, ["lastProbeTime"] = null, ["lastTransitionTime"] = now };
        if (unschedulable is not null)
        {
            condition["reason"] = "Unschedulable";
            condition["message"] = unschedulable;
        }
        var desired = new JsonObject { ["phase"] = "Pending", ["conditions"] = new JsonArray(condition), ["qosClass"] = Obj.Str(current["qosClass"]) };
        if (waitingReason is not null)
        {
            var container = Obj.Objects(pod["spec"]?["containers"]).First();
            desired["hostIP"] = PodIp;
            desired["startTime"] = now;
            desired["containerStatuses"] = new JsonArray(ContainerStatus(container, new JsonObject { ["waiting"] = new JsonObject { ["reason"] = waitingReason } }, ready: false, started: false));
        }
        PatchStatus("v1", "pods", pod, desired);
    }

    private void StartPod(JsonObject pod, PodSandbox sandbox)
    {
        var ns = Obj.Namespace(pod);
        var name = Obj.Name(pod);
        _started.Add((ns, name));
        if (Obj.Str(pod["spec"]?["nodeName"]) is null)
            _server.BindPod(ns, name, _options.NodeName); // As the scheduler: spec.nodeName changes only through pods/binding.
        var container = Obj.Objects(pod["spec"]?["containers"]).First();
        var jobRef = Obj.ControllerRef(pod, "Job");
        var jobName = Obj.Str(jobRef?["name"]) ?? "";
        var job = jobRef is null ? null : _server.Get("batch/v1", "jobs", ns, jobName);
        FailureRule? rule;
        lock (_gate)
            rule = job is null ? null : _rules.FirstOrDefault(r => r.TryClaim(job));

        // command defaults to the image's entrypoint, which for the agent image is imprint.
        var command = (container["command"] as JsonArray ?? ["imprint"]).Select(n => Obj.Str(n) ?? "").ToList();
        var args = (container["args"] as JsonArray ?? []).Select(n => Obj.Str(n) ?? "").ToList();
        var executable = command[0] == "imprint" ? _agentPath : command[0];
        var hostArgs = command.Skip(1).Concat(args).Select(sandbox.MapArg).ToList();
        var hostPlanArgs = MapPlan(hostArgs, sandbox);
        var startedAt = Obj.Now();
        int runIndex;
        lock (_gate)
        {
            runIndex = _runs.Count;
            _runs.Add(new JobRun(ns, jobName, name, args, [executable, .. hostArgs], Injected: rule is not null) { HostPlanArgs = hostPlanArgs });
        }
        var running = new RunningPod(Obj.Str(jobRef?["uid"]) ?? "", runIndex, sandbox, startedAt);
        _running[(ns, name)] = running;

        var planFailure = rule is { Step: { } failing } && args.FirstOrDefault() == "run" ? PlanUpTo(hostArgs, sandbox, failing) : null;
        if (planFailure is { Before: > 0 })
        {
            // The steps before the failing one run for real; the failure is added to the plan's result at exit.
            running.FailAfterPlan = rule;
            running.FailAfterCommand = planFailure.Value.Command;
            rule = null;
        }

        if (rule is not null)
        {
            running.ExitCode = rule.ExitCode;
            running.Log = $"imprint {args.FirstOrDefault()}: error: {rule.Message}\n";
            File.WriteAllText(sandbox.TerminationLog, planFailure is { } first
                ? PlanResult(null, rule, first.Command)
                : InjectedResult(args.FirstOrDefault() ?? "", rule));
            _server.SetPodLog(ns, name, running.Log);
            WriteRunningStatus(pod, container, startedAt);
            Enqueue(new(WorkKind.PodExited, ns, name));
            return;
        }

        var start = new ProcessStartInfo(executable) { WorkingDirectory = sandbox.Dir };
        foreach (var arg in hostArgs)
            start.ArgumentList.Add(arg);
        foreach (var env in Obj.Objects(container["env"]))
        {
            if (Obj.Str(env["name"]) is { } key && Obj.Str(env["value"]) is { } value)
                start.Environment[key] = sandbox.MapArg(value);
        }
        start.Environment["HOSTNAME"] = name;
        start.Environment["TMPDIR"] = sandbox.Tmp;
        try
        {
            running.Process = PodProcess.Start(start, text => _server.SetPodLog(ns, name, text), _options.LogInterval);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // What containerd reports when the entrypoint cannot be executed.
            running.ExitCode = 128;
            running.TerminatedReason = "StartError";
            File.WriteAllText(sandbox.TerminationLog, $"failed to create containerd task: exec: \"{command[0]}\": {e.Message}");
            Enqueue(new(WorkKind.PodExited, ns, name));
            return;
        }
        WriteRunningStatus(pod, container, startedAt);
        var process = running.Process;
        _ = process.Exited.ContinueWith(_ => Enqueue(new(WorkKind.PodExited, ns, name)), TaskScheduler.Default);
    }

    /// <summary>
    /// <c>imprint run PLAN</c>: the plan's step arguments name container paths as the command line's do, so they are
    /// rewritten the same way into a copy of the plan in the sandbox, which the host argument then names.
    /// </summary>
    private static List<string> MapPlan(List<string> hostArgs, PodSandbox sandbox)
    {
        var mapped = new List<string>();
        if (hostArgs.Count < 2 || hostArgs[0] != "run" || !File.Exists(hostArgs[1]) || JsonNode.Parse(File.ReadAllText(hostArgs[1])) is not JsonObject plan)
            return mapped;
        foreach (var step in (plan["steps"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (step["args"] is not JsonArray stepArgs)
                continue;
            var args = stepArgs.Select(a => sandbox.MapArg((string?)a ?? "")).ToList();
            mapped.AddRange(args);
            step["args"] = new JsonArray([.. args.Select(a => (JsonNode?)JsonValue.Create(a))]);
        }
        var path = Path.Combine(sandbox.Dir, "plan-on-host.json");
        File.WriteAllText(path, plan.ToJsonString());
        hostArgs[1] = path;
        return mapped;
    }

    /// <summary>
    /// For a plan failing at <paramref name="step"/>: the plan file is replaced by one holding only the steps before it
    /// (the host argument is pointed at the copy); returns how many there are and the failing step's command.
    /// </summary>
    private static (int Before, string Command)? PlanUpTo(List<string> hostArgs, PodSandbox sandbox, string step)
    {
        if (hostArgs.Count < 2 || !File.Exists(hostArgs[1]) || JsonNode.Parse(File.ReadAllText(hostArgs[1])) is not JsonObject plan || plan["steps"] is not JsonArray steps)
            return null;
        var index = steps.Select(s => (string?)s?["name"]).ToList().IndexOf(step);
        if (index < 0)
            return null;
        var command = (string?)steps[index]?["args"]?[0] ?? "";
        if (index == 0)
            return (0, command);
        var before = plan.DeepClone().AsObject();
        before["steps"] = new JsonArray([.. steps.Take(index).Select(s => s!.DeepClone())]);
        var path = Path.Combine(sandbox.Dir, "plan-before-injected-failure.json");
        File.WriteAllText(path, before.ToJsonString());
        hostArgs[1] = path;
        return (index, command);
    }

    /// <summary>The agent's plan result with the injected step failure appended to the steps that ran (if any).</summary>
    private static string PlanResult(JsonObject? ran, FailureRule rule, string command)
    {
        var steps = ran?["steps"] as JsonArray ?? [];
        steps = (JsonArray)steps.DeepClone();
        steps.Add(new JsonObject
        {
            ["apiVersion"] = "imprint.dev/agent-result/v1",
            ["command"] = command,
            ["ok"] = false,
            ["exitCode"] = rule.ExitCode,
            ["error"] = rule.Message,
            ["durationMs"] = 0,
            ["step"] = rule.Step,
            ["diskUnchanged"] = rule.DiskUnchanged,
        });
        return new JsonObject
        {
            ["apiVersion"] = "imprint.dev/agent-result/v1",
            ["command"] = "run",
            ["ok"] = false,
            ["exitCode"] = rule.ExitCode,
            ["error"] = $"step {rule.Step} ({command}): {rule.Message}",
            ["durationMs"] = (long?)ran?["durationMs"] ?? 0,
            ["failedStep"] = rule.Step,
            ["steps"] = steps,
        }.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static string InjectedResult(string command, FailureRule rule) =>
        new JsonObject
        {
            ["apiVersion"] = "imprint.dev/agent-result/v1",
            ["command"] = command,
            ["ok"] = false,
            ["exitCode"] = rule.ExitCode,
            ["error"] = rule.Message,
            ["durationMs"] = 0,
        }.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private void WriteRunningStatus(JsonObject pod, JsonObject container, string startedAt)
    {
        var current = _server.Get("v1", "pods", Obj.Namespace(pod), Obj.Name(pod)) ?? pod;
        var status = BaseStatus(current, "Running", startedAt);
        status["conditions"] = PodConditions(startedAt, ready: true, reason: null);
        status["containerStatuses"] = new JsonArray(ContainerStatus(container, new JsonObject { ["running"] = new JsonObject { ["startedAt"] = startedAt } }, ready: true, started: true));
        PatchStatus("v1", "pods", current, status);
    }

    private async Task PodExitedAsync(string ns, string name)
    {
        if (!_running.Remove((ns, name), out var running))
            return;
        var exitCode = running.ExitCode ?? (running.Process is { } p ? await p.Exited : 0);
        var log = running.Process?.Log ?? running.Log;
        if (running.FailAfterPlan is { } rule && exitCode == 0)
        {
            var ran = JsonNode.Parse(ReadTerminationMessage(running.Sandbox.TerminationLog)) as JsonObject;
            File.WriteAllText(running.Sandbox.TerminationLog, PlanResult(ran, rule, running.FailAfterCommand ?? ""));
            exitCode = rule.ExitCode;
            log += $"imprint run: step {rule.Step} ({running.FailAfterCommand}): error: {rule.Message}\n";
            _server.SetPodLog(ns, name, log);
        }
        var killed = running.Process?.Killed ?? false;
        running.Process?.Dispose();
        running.Sandbox.ReleaseDevices();
        lock (_gate)
            _runs[running.RunIndex] = _runs[running.RunIndex] with { ExitCode = exitCode, Killed = killed };
        if (_server.Get("v1", "pods", ns, name) is not { } pod)
        {
            VolumeStore.Delete(running.Sandbox.Dir);
            return;
        }
        KeepDeviceSizes(pod);
        var container = Obj.Objects(pod["spec"]?["containers"]).First();
        var message = ReadTerminationMessage(running.Sandbox.TerminationLog);
        if (message.Length == 0 && exitCode != 0 && Obj.Str(container["terminationMessagePolicy"]) == "FallbackToLogsOnError")
            message = LogTail(log);
        var finishedAt = Obj.Now();
        var terminated = new JsonObject
        {
            ["exitCode"] = exitCode,
            ["reason"] = running.TerminatedReason ?? (exitCode == 0 ? "Completed" : "Error"),
            ["startedAt"] = running.StartedAt,
            ["finishedAt"] = finishedAt,
            ["containerID"] = $"simulator://{ns}/{name}",
        };
        if (message.Length > 0)
            terminated["message"] = message;
        var phase = exitCode == 0 ? "Succeeded" : "Failed";
        var status = BaseStatus(pod, phase, running.StartedAt);
        status["conditions"] = PodConditions(finishedAt, ready: false, reason: exitCode == 0 ? "PodCompleted" : "PodFailed");
        status["containerStatuses"] = new JsonArray(ContainerStatus(container, new JsonObject { ["terminated"] = terminated }, ready: false, started: false));
        PatchStatus("v1", "pods", pod, status);
    }

    /// <summary>
    /// A Block volume is a device of fixed size, but here it is a regular file the agent may replace (its
    /// <c>--overwrite</c> writes a sibling and renames it over the target, as it does for image files). A real device
    /// would have been written in place and kept its size, the tail reading as before (zeros on a fresh volume): the
    /// file is grown back, sparsely, to the claim's capacity so the next step sees the device it would see on a node.
    /// </summary>
    private void KeepDeviceSizes(JsonObject pod)
    {
        var ns = Obj.Namespace(pod);
        foreach (var volume in Obj.Objects(pod["spec"]?["volumes"]))
        {
            if (Obj.Str(volume["persistentVolumeClaim"]?["claimName"]) is not { } claimName
                || _server.Get("v1", "persistentvolumeclaims", ns, claimName) is not { } pvc || ModeOf(pvc) != VolumeMode.Block)
                continue;
            var path = _store.ClaimPath(_server, pvc);
            var capacity = Quantity.Parse(Obj.Str(pvc["status"]?["capacity"]?["storage"]) ?? Obj.Str(pvc["spec"]?["resources"]?["requests"]?["storage"])) ?? 0;
            if (!File.Exists(path) || new FileInfo(path).Length >= capacity)
                continue;
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
            file.SetLength(capacity);
        }
    }

    private static string ReadTerminationMessage(string path)
    {
        if (!File.Exists(path))
            return "";
        using var file = File.OpenRead(path);
        var buffer = new byte[TerminationMessageLimit];
        var read = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>kubelet's fallback message: the last 80 lines of the log, at most 2 KiB of them.</summary>
    internal static string LogTail(string log)
    {
        var lines = log.TrimEnd('\n').Split('\n');
        var tail = string.Join('\n', lines[Math.Max(0, lines.Length - FallbackLogLines)..]);
        var bytes = Encoding.UTF8.GetBytes(tail);
        return bytes.Length <= FallbackLogBytes ? tail : Encoding.UTF8.GetString(bytes, bytes.Length - FallbackLogBytes, FallbackLogBytes);
    }

    private static JsonObject BaseStatus(JsonObject pod, string phase, string startTime) => new()
    {
        ["phase"] = phase,
        ["hostIP"] = PodIp,
        ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = PodIp }),
        ["podIP"] = PodIp,
        ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = PodIp }),
        ["startTime"] = Obj.Str(pod["status"]?["startTime"]) ?? startTime,
        ["qosClass"] = Obj.Str(pod["status"]?["qosClass"]),
    };

    private static JsonArray PodConditions(string now, bool ready, string? reason)
    {
        JsonObject Condition(string type, bool value, string? why = null)
        {
            var condition = new JsonObject { ["type"] = type, ["status"] = value ? "True" : "False", ["lastProbeTime"] = null, ["lastTransitionTime"] = now };
            if (why is not null)
                condition["reason"] = why;
            return condition;
        }
        return
        [
            Condition("PodReadyToStartContainers", ready),
            Condition("Initialized", true, ready ? null : reason == "PodCompleted" ? reason : null),
            Condition("Ready", ready, reason),
            Condition("ContainersReady", ready, reason),
            Condition("PodScheduled", true),
        ];
    }

    private static JsonObject ContainerStatus(JsonObject container, JsonObject state, bool ready, bool started) => new()
    {
        ["name"] = Obj.Str(container["name"]),
        ["image"] = Obj.Str(container["image"]),
        ["imageID"] = "",
        ["ready"] = ready,
        ["started"] = started,
        ["restartCount"] = 0,
        ["state"] = state,
        ["lastState"] = new JsonObject(),
    };

    private void PodDeleted(string ns, string name)
    {
        _started.Remove((ns, name));
        if (_running.ContainsKey((ns, name)))
            StopPod(ns, name); // the sandbox goes once the process has exited
        else
            VolumeStore.Delete(Path.Combine(_store.Root, "pods", ns, name));
    }

    /// <summary>Stops a pod's container (SIGTERM, then SIGKILL after the grace period); its exit is handled as usual.</summary>
    private void StopPod(string ns, string name)
    {
        if (!_running.TryGetValue((ns, name), out var running) || running.Stopping || running.Process is not { } process)
            return;
        running.Stopping = true;
        var pod = _server.Get("v1", "pods", ns, name);
        var grace = TimeSpan.FromSeconds(Obj.Long(pod?["spec"]?["terminationGracePeriodSeconds"]) ?? 30);
        _ = process.KillAsync(grace < _options.MaxTerminationGrace ? grace : _options.MaxTerminationGrace);
    }

    private async Task StopAllPodsAsync()
    {
        var processes = _running.Values.Select(r => r.Process).OfType<PodProcess>().ToList();
        await Task.WhenAll(processes.Select(p => p.KillAsync(TimeSpan.FromSeconds(1))));
        foreach (var process in processes)
            process.Dispose();
        foreach (var running in _running.Values)
            running.Sandbox.ReleaseDevices();
        _running.Clear();
    }
}
