using System.Text.Json.Nodes;
using System.Threading.Channels;
using Imprint.Testing.FakeApiServer;

namespace Imprint.Testing.NodeSimulator;

/// <summary>
/// The parts of a cluster the operator relies on but the fake API server lacks: the job controller, a kubelet that
/// runs agent containers as local processes, a CSI provisioner (volumes, clones, restores) and the snapshot
/// controller. Reacts to every committed write of <see cref="FakeKubeApiServer"/> on one worker, reading objects fresh.
/// </summary>
public sealed partial class NodeSimulator : IAsyncDisposable
{
    private readonly FakeKubeApiServer _server;
    private readonly NodeSimulatorOptions _options;
    private readonly VolumeStore _store;
    private readonly EventRecorder _events;
    private readonly string _agentPath;
    private readonly Channel<WorkItem> _queue = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly HashSet<WorkItem> _queued = [];
    private readonly List<FailureRule> _rules = [];
    private readonly List<JobRun> _runs = [];
    private readonly List<string> _errors = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _worker = Task.CompletedTask;

    private NodeSimulator(FakeKubeApiServer server, NodeSimulatorOptions options, string agentPath)
    {
        _server = server;
        _options = options;
        _store = new VolumeStore(options.Root);
        _events = new EventRecorder(server, options.NodeName);
        _agentPath = agentPath;
    }

    /// <summary>Every Job pod started so far, in start order.</summary>
    public IReadOnlyList<JobRun> Runs
    {
        get
        {
            lock (_gate)
                return _runs.ToArray();
        }
    }

    /// <summary>Unexpected exceptions inside the simulated controllers (a test can assert there were none).</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_gate)
                return _errors.ToArray();
        }
    }

    public string AgentPath => _agentPath;

    /// <summary>Whether pods get Block volumes as loop devices (else as the backing files themselves).</summary>
    public bool BlockDevicesAreLoops => _options.LoopDevices ?? LoopDevices.UnavailableReason is null;

    /// <summary>How Block volumes reach pods, and why not as devices when they do not.</summary>
    public string BlockBacking => BlockDevicesAreLoops ? "loop devices"
        : _options.LoopDevices == false ? "files (LoopDevices = false)" : $"files: loop devices unavailable ({LoopDevices.UnavailableReason})";

    public static Task<NodeSimulator> StartAsync(FakeKubeApiServer server, NodeSimulatorOptions options, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var simulator = new NodeSimulator(server, options, AgentLocator.Resolve(options));
        Directory.CreateDirectory(simulator._store.Root);
        server.Changed += simulator.OnChanged;
        simulator._worker = Task.Run(() => simulator.WorkAsync(simulator._stop.Token), CancellationToken.None);
        // Objects written before the simulator started are picked up as if they had just changed.
        foreach (var job in server.List("batch/v1", "jobs"))
            simulator.Enqueue(new(WorkKind.Job, Obj.Namespace(job), Obj.Name(job)));
        simulator.Enqueue(new(WorkKind.Waiters, "", ""));
        return Task.FromResult(simulator);
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> pods of Jobs matching <paramref name="match"/> end with
    /// <paramref name="exitCode"/> without running anything; the termination message is an agent result with
    /// <c>ok: false</c> and <paramref name="message"/> as its error.
    /// </summary>
    public void FailJobs(Func<JsonObject, bool> match, int exitCode, string message, int count = int.MaxValue)
    {
        lock (_gate)
            _rules.Add(new FailureRule(match, exitCode, message, count));
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> runs of <paramref name="step"/> in Jobs matching <paramref name="match"/>
    /// fail with <paramref name="exitCode"/>: a Job of that step alone ends as <see cref="FailJobs"/> makes it, and a
    /// plan Job (<c>imprint run</c>) runs the steps before it with the real agent, then ends with the agent's plan
    /// result for a failure at that step (<paramref name="diskUnchanged"/> in its step result).
    /// </summary>
    public void FailSteps(Func<JsonObject, bool> match, string step, int exitCode, string message, int count = int.MaxValue, bool diskUnchanged = false)
    {
        lock (_gate)
            _rules.Add(new FailureRule(match, exitCode, message, count, step, diskUnchanged));
    }

    public async ValueTask DisposeAsync()
    {
        _server.Changed -= OnChanged;
        await _stop.CancelAsync();
        try
        {
            await _worker;
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        await StopAllPodsAsync();
        _stop.Dispose();
    }

    private void OnChanged(object? sender, ObjectChange change)
    {
        var obj = change.Object;
        var ns = Obj.Namespace(obj);
        var name = Obj.Name(obj);
        var deleted = change.Type == "DELETED";
        switch ((string?)obj["apiVersion"], Obj.Kind(obj))
        {
            case ("batch/v1", "Job"):
                Enqueue(deleted ? new(WorkKind.JobDeleted, ns, name, obj) : new(WorkKind.Job, ns, name));
                break;
            case ("v1", "Pod"):
                Enqueue(deleted ? new(WorkKind.PodDeleted, ns, name, obj) : new(WorkKind.Pod, ns, name));
                if (Obj.ControllerRef(obj, "Job") is { } owner)
                    Enqueue(new(WorkKind.Job, ns, Obj.Str(owner["name"]) ?? ""));
                break;
            case ("v1", "PersistentVolumeClaim"):
                Enqueue(deleted ? new(WorkKind.ClaimDeleted, ns, name, obj) : new(WorkKind.Claim, ns, name));
                Enqueue(new(WorkKind.Waiters, ns, ""));
                break;
            case ("v1", "PersistentVolume"):
                if (!deleted)
                    Enqueue(new(WorkKind.Volume, "", name));
                break;
            case ("snapshot.storage.k8s.io/v1", "VolumeSnapshot"):
                Enqueue(deleted ? new(WorkKind.SnapshotDeleted, ns, name, obj) : new(WorkKind.Snapshot, ns, name));
                Enqueue(new(WorkKind.Waiters, ns, ""));
                break;
            case ("v1", "ConfigMap" or "Secret"):
                Enqueue(new(WorkKind.Waiters, ns, ""));
                break;
            case ("storage.k8s.io/v1", "StorageClass"):
                Enqueue(new(WorkKind.Waiters, "", ""));
                break;
        }
    }

    private void Enqueue(WorkItem item)
    {
        // Keys waiting to be reconciled are de-duplicated; the worker reads the object fresh anyway.
        if (item.Object is null)
        {
            lock (_gate)
            {
                if (!_queued.Add(item))
                    return;
            }
        }
        _queue.Writer.TryWrite(item);
    }

    private void EnqueueAfter(WorkItem item, TimeSpan delay)
    {
        _ = Task.Delay(delay, _stop.Token).ContinueWith(t =>
        {
            if (!t.IsCanceled)
                Enqueue(item);
        }, TaskScheduler.Default);
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        await foreach (var item in _queue.Reader.ReadAllAsync(ct))
        {
            if (item.Object is null)
            {
                lock (_gate)
                    _queued.Remove(item);
            }
            try
            {
                await HandleAsync(item);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                lock (_gate)
                    _errors.Add($"{item.Kind} {item.Namespace}/{item.Name}: {e}");
            }
        }
    }

    private async Task HandleAsync(WorkItem item)
    {
        switch (item.Kind)
        {
            case WorkKind.Job:
                ReconcileJob(item.Namespace, item.Name);
                break;
            case WorkKind.JobDeleted:
                JobDeleted(item.Object!);
                break;
            case WorkKind.Pod:
                ReconcilePod(item.Namespace, item.Name);
                break;
            case WorkKind.PodDeleted:
                PodDeleted(item.Namespace, item.Name);
                break;
            case WorkKind.PodExited:
                await PodExitedAsync(item.Namespace, item.Name);
                break;
            case WorkKind.Claim:
                ReconcileClaim(item.Namespace, item.Name);
                break;
            case WorkKind.ClaimDeleted:
                ClaimDeleted(item.Object!);
                break;
            case WorkKind.Volume:
                ReconcileVolume(item.Name);
                break;
            case WorkKind.Snapshot:
                ReconcileSnapshot(item.Namespace, item.Name);
                break;
            case WorkKind.SnapshotDeleted:
                SnapshotDeleted(item.Object!);
                break;
            case WorkKind.Waiters:
                EnqueueWaiters(item.Namespace.Length == 0 ? null : item.Namespace);
                break;
        }
    }

    private void EnqueueWaiters(string? ns)
    {
        foreach (var pvc in _server.List("v1", "persistentvolumeclaims", ns))
        {
            if (Obj.Str(pvc["status"]?["phase"]) != "Bound")
                Enqueue(new(WorkKind.Claim, Obj.Namespace(pvc), Obj.Name(pvc)));
        }
        foreach (var snapshot in _server.List("snapshot.storage.k8s.io/v1", "volumesnapshots", ns))
        {
            if (!Obj.Bool(snapshot["status"]?["readyToUse"]))
                Enqueue(new(WorkKind.Snapshot, Obj.Namespace(snapshot), Obj.Name(snapshot)));
        }
        foreach (var pod in _server.List("v1", "pods", ns))
        {
            if (Obj.Str(pod["status"]?["phase"]) is null or "Pending")
                Enqueue(new(WorkKind.Pod, Obj.Namespace(pod), Obj.Name(pod)));
        }
    }

    private JsonObject? PatchStatus(string apiVersion, string plural, JsonObject current, JsonObject desiredStatus) =>
        _server.Patch(apiVersion, plural, Obj.Namespace(current), Obj.Name(current),
            new JsonObject { ["status"] = Obj.Replacing(current["status"] as JsonObject, desiredStatus) }, "status");
}
