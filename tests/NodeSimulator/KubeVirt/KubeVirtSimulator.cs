using System.Text.Json.Nodes;
using Imprint.Testing.FakeApiServer;

namespace Imprint.Testing.NodeSimulator.KubeVirt;

/// <summary>
/// KubeVirt's virt-controller and CDI's controllers as far as disks go, against <see cref="FakeKubeApiServer"/>:
/// VirtualMachinePool → VirtualMachines, VirtualMachine → DataVolumes from <c>spec.dataVolumeTemplates</c>,
/// DataVolume → its PersistentVolumeClaim (external populators, and the start of a CDI clone), DataSource readiness.
/// No VM ever runs and no disk is copied. Opt-in per test: start it and install <see cref="KubeVirtCrds"/>; each
/// controller acts only while its resource is served. Every change runs a full level-triggered pass on one worker.
/// </summary>
public sealed partial class KubeVirtSimulator : IAsyncDisposable
{
    private readonly FakeKubeApiServer _server;
    private readonly KubeVirtSimulatorOptions _options;
    private readonly EventRecorder _events;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<string> _errors = [];
    private Task _worker = Task.CompletedTask;

    private KubeVirtSimulator(FakeKubeApiServer server, KubeVirtSimulatorOptions options)
    {
        _server = server;
        _options = options;
        _events = new EventRecorder(server, "kubevirt-simulator");
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

    public static KubeVirtSimulator Start(FakeKubeApiServer server, KubeVirtSimulatorOptions? options = null)
    {
        var simulator = new KubeVirtSimulator(server, options ?? new KubeVirtSimulatorOptions());
        server.Changed += simulator.OnChanged;
        simulator._worker = Task.Run(() => simulator.RunAsync(simulator._stop.Token), CancellationToken.None);
        simulator._signal.Release(); // objects written before the start are reconciled as if they had just changed
        return simulator;
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
        _stop.Dispose();
        _signal.Dispose();
    }

    private void OnChanged(object? sender, ObjectChange change)
    {
        var kind = Obj.Kind(change.Object);
        if (kind is "VirtualMachinePool" or "VirtualMachine" or "DataVolume" or "DataSource" or "VolumeCloneSource"
            or "PersistentVolumeClaim" or "VolumeSnapshot" or "StorageClass" or "CustomResourceDefinition")
            _signal.Release();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (true)
        {
            await _signal.WaitAsync(ct);
            while (_signal.CurrentCount > 0)
                await _signal.WaitAsync(ct);
            // A pass that wrote something may have enabled more work; a bound stops a controller fighting itself.
            for (var pass = 0; pass < 20 && RunOnce(); pass++)
                ct.ThrowIfCancellationRequested();
        }
    }

    private bool RunOnce()
    {
        var wrote = false;
        wrote |= Each(PoolApiVersion, "virtualmachinepools", ReconcilePool);
        wrote |= Each(VmApiVersion, "virtualmachines", ReconcileVirtualMachine);
        wrote |= Each(CdiApiVersion, "datavolumes", ReconcileDataVolume);
        wrote |= Each(CdiApiVersion, "datasources", ReconcileDataSource);
        return wrote;
    }

    /// <summary>Runs <paramref name="reconcile"/> on every object of a served kind; an exception is recorded, not thrown.</summary>
    private bool Each(string apiVersion, string plural, Func<JsonObject, bool> reconcile)
    {
        var wrote = false;
        IReadOnlyList<JsonObject> objects;
        try
        {
            if (!_server.Serves(apiVersion, plural))
                return false;
            objects = _server.List(apiVersion, plural);
        }
        catch (ArgumentException)
        {
            return false; // the definition went away between the two calls
        }
        foreach (var obj in objects)
        {
            try
            {
                wrote |= reconcile(obj);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                lock (_gate)
                    _errors.Add($"{Obj.Kind(obj)} {Obj.Namespace(obj)}/{Obj.Name(obj)}: {e}");
            }
        }
        return wrote;
    }

    private static JsonObject ControllerReference(JsonObject owner) => new()
    {
        ["apiVersion"] = (string?)owner["apiVersion"],
        ["kind"] = Obj.Kind(owner),
        ["name"] = Obj.Name(owner),
        ["uid"] = Obj.Uid(owner),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    private static bool IsControlledBy(JsonObject obj, JsonObject owner) =>
        Obj.ControllerRef(obj, Obj.Kind(owner)) is { } reference && Obj.Str(reference["uid"]) == Obj.Uid(owner);

    private static JsonObject Map(JsonNode? node) => node?.DeepClone() as JsonObject ?? [];

    private static List<string> Finalizers(JsonObject obj) =>
        [.. (obj["metadata"]?["finalizers"] as JsonArray ?? []).Select(f => Obj.Str(f) ?? "")];

    /// <summary>Writes a changed status (true) through <c>/status</c>, or through the main resource for kinds without that subresource.</summary>
    private bool WriteStatus(string apiVersion, string plural, JsonObject current, JsonObject desired, bool subresource = true)
    {
        if (JsonNode.DeepEquals(current["status"] ?? new JsonObject(), desired))
            return false;
        _server.Patch(apiVersion, plural, Obj.Namespace(current), Obj.Name(current),
            new JsonObject { ["status"] = Obj.Replacing(current["status"] as JsonObject, desired) }, subresource ? "status" : null);
        return true;
    }

    /// <summary>
    /// Sets a condition as CDI's <c>updateCondition</c> does: a new status stamps both times, a new reason or message
    /// only the heartbeat; nothing changes (and nothing is written) when all three are the same.
    /// </summary>
    private static void SetCondition(JsonArray conditions, string type, string status, string reason, string message)
    {
        var now = Obj.Now();
        var condition = conditions.OfType<JsonObject>().FirstOrDefault(c => Obj.Str(c["type"]) == type);
        if (condition is null)
        {
            conditions.Add(new JsonObject
            {
                ["type"] = type,
                ["status"] = status,
                ["reason"] = reason,
                ["message"] = message,
                ["lastTransitionTime"] = now,
                ["lastHeartbeatTime"] = now,
            });
            return;
        }
        if (Obj.Str(condition["status"]) != status)
        {
            condition["status"] = status;
            condition["lastTransitionTime"] = now;
            condition["lastHeartbeatTime"] = now;
        }
        else if (Obj.Str(condition["reason"]) != reason || Obj.Str(condition["message"]) != message)
        {
            condition["lastHeartbeatTime"] = now;
        }
        condition["reason"] = reason;
        condition["message"] = message;
    }
}
