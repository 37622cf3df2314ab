using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Imprint.Testing.FakeApiServer;

/// <summary>One open watch: filters committed events and queues them as ready-to-write JSON lines.</summary>
internal sealed class WatchSubscription(ResourceKind kind, string? ns, LabelSelector labels, FieldSelector fields)
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    public ResourceKind Kind { get; } = kind;

    public ChannelReader<string> Lines => _lines.Reader;

    public bool IsIdle => _lines.Reader.Count == 0;

    /// <summary>Set when the watch ended like a dropped TCP connection rather than a clean end of stream.</summary>
    public bool Aborted { get; private set; }

    public void Offer(WatchEvent change)
    {
        if (change.Kind.Group != Kind.Group || change.Kind.Version != Kind.Version || change.Kind.Plural != Kind.Plural)
            return;
        if (ns is not null && (string?)change.Object["metadata"]?["namespace"] != ns)
            return;
        var matchesNow = Matches(change.Object);
        var matchedBefore = change.Old is not null && Matches(change.Old);
        // A modification that moves an object into or out of the selection looks like ADDED/DELETED to this watcher.
        var type = change.Type switch
        {
            "MODIFIED" when matchesNow && matchedBefore => "MODIFIED",
            "MODIFIED" when matchesNow => "ADDED",
            "MODIFIED" when matchedBefore => "DELETED",
            "ADDED" or "DELETED" when matchesNow => change.Type,
            _ => null,
        };
        if (type is not null)
            _lines.Writer.TryWrite(Line(type, change.Object));
    }

    public void OfferRaw(string line) => _lines.Writer.TryWrite(line);

    public void Close(bool abort)
    {
        Aborted |= abort;
        _lines.Writer.TryComplete();
    }

    public static string Line(string type, JsonObject obj) => $"{{\"type\":\"{type}\",\"object\":{obj.ToJsonString()}}}";

    private bool Matches(JsonObject obj) => labels.Matches(obj) && fields.Matches(obj);
}
