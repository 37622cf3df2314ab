using System.Text.Json.Nodes;
using System.Threading.Channels;
using Imprint.Testing.FakeApiServer;

namespace Imprint.Testing.NodeSimulator;

/// <summary>
/// Kubernetes' volume-data-source-validator (kubernetes-csi/volume-data-source-validator,
/// pkg/data-source-validator): on every add or update of a claim whose <c>spec.dataSourceRef</c> is set, the group and
/// kind must be a core PersistentVolumeClaim, a <c>snapshot.storage.k8s.io</c> VolumeSnapshot, or the
/// <c>sourceKind</c> of a registered <c>populator.storage.k8s.io</c> VolumePopulator; otherwise it records a Warning
/// Event <c>UnrecognizedDataSourceKind</c> on the claim. A recognized kind gets no Event from it (the claim then waits
/// for its populator). Opt-in per test, as the validator is an optional cluster add-on. Not simulated: the periodic
/// resync (a claim is looked at again only when it changes) and the validator's metrics.
/// </summary>
public sealed class DataSourceValidatorSimulator : IAsyncDisposable
{
    public const string Reason = "UnrecognizedDataSourceKind";

    public const string Message = "The datasource for this PVC does not match any registered VolumePopulator";

    private const string PopulatorApiVersion = "populator.storage.k8s.io/v1beta1";

    private readonly FakeKubeApiServer _server;
    private readonly EventRecorder _events;
    private readonly Channel<(string Namespace, string Name)> _queue = Channel.CreateUnbounded<(string, string)>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<(string Claim, bool Recognized)> _checked = [];
    private readonly List<string> _errors = [];
    private Task _worker = Task.CompletedTask;

    private DataSourceValidatorSimulator(FakeKubeApiServer server)
    {
        _server = server;
        _events = new EventRecorder(server, "data-source-validator");
    }

    /// <summary>Every claim with a dataSourceRef it checked (<c>namespace/name</c>) and whether the kind was recognized, in order.</summary>
    public IReadOnlyList<(string Claim, bool Recognized)> Checked
    {
        get
        {
            lock (_gate)
                return _checked.ToArray();
        }
    }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_gate)
                return _errors.ToArray();
        }
    }

    public static DataSourceValidatorSimulator Start(FakeKubeApiServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var validator = new DataSourceValidatorSimulator(server);
        server.Changed += validator.OnChanged;
        foreach (var claim in server.List("v1", "persistentvolumeclaims"))
            validator._queue.Writer.TryWrite((Obj.Namespace(claim), Obj.Name(claim)));
        validator._worker = Task.Run(() => validator.RunAsync(validator._stop.Token), CancellationToken.None);
        return validator;
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
    }

    private void OnChanged(object? sender, ObjectChange change)
    {
        if (Obj.Kind(change.Object) == "PersistentVolumeClaim" && change.Type != "DELETED")
            _queue.Writer.TryWrite((Obj.Namespace(change.Object), Obj.Name(change.Object)));
    }

    private async Task RunAsync(CancellationToken ct)
    {
        await foreach (var (ns, name) in _queue.Reader.ReadAllAsync(ct))
        {
            try
            {
                Validate(ns, name);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                lock (_gate)
                    _errors.Add($"{ns}/{name}: {e}");
            }
        }
    }

    private void Validate(string ns, string name)
    {
        if (_server.Get("v1", "persistentvolumeclaims", ns, name) is not { } claim || claim["spec"]?["dataSourceRef"] is not JsonObject reference)
            return;
        var group = Obj.Str(reference["apiGroup"]) ?? "";
        var kind = Obj.Str(reference["kind"]) ?? "";
        var recognized = (group, kind) is ("", "PersistentVolumeClaim") or ("snapshot.storage.k8s.io", "VolumeSnapshot")
            || (_server.Serves(PopulatorApiVersion, "volumepopulators")
                && _server.List(PopulatorApiVersion, "volumepopulators").Any(p =>
                    (Obj.Str(p["sourceKind"]?["group"]) ?? "") == group && Obj.Str(p["sourceKind"]?["kind"]) == kind));
        if (!recognized)
            _events.Record(claim, "Warning", Reason, Message, "data-source-validator");
        lock (_gate)
            _checked.Add(($"{ns}/{name}", recognized));
    }
}
