using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Imprint.Operator.Kubernetes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Imprint.Operator.Runtime.Events;

/// <summary>
/// Writes events.k8s.io/v1 Events from a background loop. Like client-go's event correlator, the same
/// (regarding object, type, reason, note) seen again within the series window does not create another Event: the first
/// one's series.count and lastObservedTime are patched instead. API failures are logged, never thrown.
/// </summary>
public sealed class EventRecorder : IEventRecorder, IAsyncDisposable, IDisposable
{
    private const int MaxNoteBytes = 1024;

    private readonly IKubernetesClient _client;
    private readonly EventRecorderOptions _options;
    private readonly ILogger<EventRecorder> _logger;
    private readonly TimeProvider _time;
    private readonly Channel<object> _pending;
    private readonly Dictionary<string, Occurrence> _recent = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private long _lastNameTicks;

    public EventRecorder(IKubernetesClient client, EventRecorderOptions options, ILogger<EventRecorder> logger, TimeProvider? timeProvider = null)
    {
        _client = client;
        _options = options;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _pending = Channel.CreateBounded<object>(new BoundedChannelOptions(options.Capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropWrite,
        });
        _loop = Task.Run(ProcessAsync);
    }

    public void Record(IKubernetesObject<V1ObjectMeta> regarding, string type, string reason, string note, string? action = null)
    {
        var request = new EventRequest(Reference(regarding), type, reason, Truncate(note), action ?? reason, _time.GetUtcNow());
        if (!_pending.Writer.TryWrite(request))
        {
            _logger.LogWarning("Dropped event {Reason} on {Kind} {Name}: recorder is full or stopped", reason, request.Regarding.Kind, request.Regarding.Name);
        }
    }

    /// <summary>Waits until every event recorded before this call has been written (or has failed).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _pending.Writer.WriteAsync(flushed, cancellationToken).ConfigureAwait(false);
        await flushed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops taking events and writes the queued ones (each write is bounded to 10 s).</summary>
    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    /// <summary>Synchronous disposal (a container disposed without await): stops taking events, waits up to 10 s for the queue.</summary>
    public void Dispose()
    {
        _pending.Writer.TryComplete();
        _loop.Wait(TimeSpan.FromSeconds(10));
    }

    private async Task ProcessAsync()
    {
        await foreach (var item in _pending.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (item is TaskCompletionSource flushed)
            {
                flushed.TrySetResult();
                continue;
            }

            var request = (EventRequest)item;
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10), _time);
            try
            {
                await WriteAsync(request, bounded.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Could not write event {Reason} on {Kind} {Name}", request.Reason, request.Regarding.Kind, request.Regarding.Name);
            }
        }
    }

    private async Task WriteAsync(EventRequest request, CancellationToken cancellationToken)
    {
        ForgetExpired(request.At);
        var key = $"{request.Regarding.Uid}|{request.Regarding.Kind}|{request.Regarding.NamespaceProperty}|{request.Regarding.Name}|{request.Type}|{request.Reason}|{request.Note}";
        if (_recent.TryGetValue(key, out var seen))
        {
            var count = seen.Count + 1;
            var patch = new JsonObject
            {
                ["series"] = new JsonObject
                {
                    ["count"] = count,
                    ["lastObservedTime"] = JsonValue.Create(request.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)),
                },
            };
            try
            {
                await _client.PatchAsync<Eventsv1Event>(seen.Name, seen.Namespace, patch, cancellationToken).ConfigureAwait(false);
                _recent[key] = seen with { Count = count, LastAt = request.At };
                return;
            }
            catch (KubernetesApiException ex) when (ex.IsNotFound)
            {
                // The Event expired on the server (TTL, default 1 h): start a new one.
                _recent.Remove(key);
            }
        }

        var ns = string.IsNullOrEmpty(request.Regarding.NamespaceProperty) ? "default" : request.Regarding.NamespaceProperty;
        // Unique per recorder even when two events share a clock tick (a coarse or stopped clock): a repeated name
        // would be refused as AlreadyExists and the event lost. Only the one loop writes, so no lock is needed.
        _lastNameTicks = Math.Max(request.At.UtcTicks, _lastNameTicks + 1);
        var name = $"{request.Regarding.Name}.{_lastNameTicks:x}";
        var created = await _client.CreateAsync(
            new Eventsv1Event
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
                EventTime = request.At.UtcDateTime,
                ReportingController = _options.ReportingController,
                ReportingInstance = _options.ReportingInstance,
                Action = request.Action,
                Reason = request.Reason,
                Regarding = request.Regarding,
                Note = request.Note,
                Type = request.Type,
            },
            cancellationToken).ConfigureAwait(false);
        _recent[key] = new Occurrence(created.Metadata.Name ?? name, ns, 1, request.At);
    }

    private void ForgetExpired(DateTimeOffset now)
    {
        foreach (var (key, occurrence) in _recent.ToList())
        {
            if (now - occurrence.LastAt > _options.SeriesWindow)
            {
                _recent.Remove(key);
            }
        }
    }

    private static V1ObjectReference Reference(IKubernetesObject<V1ObjectMeta> obj) => new()
    {
        ApiVersion = obj.ApiVersion,
        Kind = obj.Kind,
        Name = obj.Metadata.Name,
        NamespaceProperty = obj.Metadata.NamespaceProperty,
        Uid = obj.Metadata.Uid,
        ResourceVersion = obj.Metadata.ResourceVersion,
    };

    private static string Truncate(string note)
    {
        if (Encoding.UTF8.GetByteCount(note) <= MaxNoteBytes)
        {
            return note;
        }

        var cut = note[..Math.Min(note.Length, MaxNoteBytes - 3)];
        while (Encoding.UTF8.GetByteCount(cut) > MaxNoteBytes - 3)
        {
            cut = cut[..^1];
        }

        return cut + "...";
    }

    private sealed record EventRequest(V1ObjectReference Regarding, string Type, string Reason, string Note, string Action, DateTimeOffset At);

    private sealed record Occurrence(string Name, string Namespace, int Count, DateTimeOffset LastAt);
}
