using System.Globalization;
using System.Text.RegularExpressions;
using Imprint.Agent.Guest;

namespace Imprint.Agent.Ext;

/// <summary>
/// Cache of what debugfs told us about the on-disk filesystem: directory listings by inode and symlink targets.
/// Filled in rounds (<see cref="FetchAsync"/>: one batch per round, whatever the number of items) and dropped when the
/// image file changes (length or modification time) or after an edit. Reads go through one kept-open read-only
/// <see cref="DebugfsSession"/>, closed with the cache (so it never outlives a write) or after
/// <see cref="SessionIdleTime"/> without use (so an instance nobody disposes leaves no process behind).
/// </summary>
internal sealed partial class GuestTree(string imagePath, long offset) : IDisposable
{
    public const uint RootInode = 2;

    /// <summary>How long an unused read session stays open.</summary>
    public static readonly TimeSpan SessionIdleTime = TimeSpan.FromSeconds(2);

    /// <summary>How many parked trees (distinct filesystems) wait for adoption at most; the oldest is closed.</summary>
    private const int ParkingSlots = 16;

    private static readonly Lock ParkingGate = new();
    private static readonly List<GuestTree> Parked = [];

    private readonly Lock _sessionGate = new();
    private DebugfsSession? _session;
    private Timer? _idleTimer;
    private int _busy;

    private readonly Dictionary<uint, Dictionary<string, GuestNode>> _listings = [];
    private readonly Dictionary<uint, GuestNode> _self = [];
    private readonly Dictionary<uint, string?> _linkTargets = [];
    private (long Length, DateTime Modified) _stamp;

    public IReadOnlySet<string>? Features { get; private set; }

    /// <summary>Drops everything when the image changed since the cache was filled (another writer, or our own edit).</summary>
    public void Revalidate()
    {
        var info = new FileInfo(imagePath);
        var stamp = info.Exists ? (info.Length, info.LastWriteTimeUtc) : (-1L, DateTime.MinValue);
        if (stamp != _stamp)
        {
            Clear();
            _stamp = stamp;
        }
    }

    public void Clear()
    {
        CloseSession();
        _listings.Clear();
        _self.Clear();
        _linkTargets.Clear();
        Features = null;
    }

    public Dictionary<string, GuestNode>? Listing(uint inode, GuestTreeNeeds needs)
    {
        if (_listings.TryGetValue(inode, out var listing))
        {
            return listing;
        }

        needs.Listings.Add(inode);
        return null;
    }

    /// <summary>The directory's own metadata, from the "." entry of its listing.</summary>
    public GuestNode? Self(uint inode, GuestTreeNeeds needs)
    {
        if (_self.TryGetValue(inode, out var node))
        {
            return node;
        }

        needs.Listings.Add(inode);
        return null;
    }

    /// <summary>The target of an on-disk symlink; <paramref name="known"/> is false when it must be fetched first.</summary>
    public string? LinkTarget(uint inode, GuestTreeNeeds needs, out bool known)
    {
        known = _linkTargets.TryGetValue(inode, out var target);
        if (!known)
        {
            needs.LinkTargets.Add(inode);
        }

        return target;
    }

    /// <summary>
    /// The tree for a new <see cref="ExtFileSystem"/>: the one parked by <see cref="Park"/> for the same image and
    /// offset (taken out of the parking, so it never has two owners), else a fresh one.
    /// </summary>
    public static GuestTree Adopt(string imagePath, long offset)
    {
        var fullPath = Path.GetFullPath(imagePath);
        lock (ParkingGate)
        {
            var index = Parked.FindIndex(t => t.Offset == offset && string.Equals(t.FullImagePath, fullPath, StringComparison.Ordinal));
            if (index >= 0)
            {
                var parked = Parked[index];
                Parked.RemoveAt(index);
                return parked;
            }
        }

        return new GuestTree(imagePath, offset);
    }

    /// <summary>
    /// Leaves this tree (cache and open read session) for the next <see cref="Adopt"/> of the same filesystem; the
    /// caller must not use it afterwards. A tree parked earlier for the same filesystem, or the oldest one when all
    /// slots are taken, is closed.
    /// </summary>
    public void Park()
    {
        var dropped = new List<GuestTree>();
        lock (ParkingGate)
        {
            dropped.AddRange(Parked.Where(t => !ReferenceEquals(t, this) && t.Offset == Offset && string.Equals(t.FullImagePath, FullImagePath, StringComparison.Ordinal)));
            Parked.RemoveAll(t => ReferenceEquals(t, this) || dropped.Contains(t));
            Parked.Add(this);
            while (Parked.Count > ParkingSlots)
            {
                dropped.Add(Parked[0]);
                Parked.RemoveAt(0);
            }
        }

        foreach (var tree in dropped)
        {
            tree.CloseSession();
        }
    }

    private string FullImagePath { get; } = Path.GetFullPath(imagePath);

    private long Offset { get; } = offset;

    /// <summary>True while a read session process is open (tests check it closes).</summary>
    public bool HasOpenSession
    {
        get
        {
            lock (_sessionGate)
            {
                return _session is not null;
            }
        }
    }

    /// <summary>Runs read-only commands in the kept-open session (started on first use).</summary>
    public async Task<IReadOnlyList<DebugfsReply>> ReadAsync(IReadOnlyList<string> commands, CancellationToken cancellationToken)
    {
        if (commands.Count == 0)
        {
            return [];
        }

        DebugfsSession session;
        lock (_sessionGate)
        {
            _busy++;
            session = _session ??= DebugfsSession.Start(imagePath, Offset);
        }

        var failed = false;
        try
        {
            return await session.RunAsync(commands, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            lock (_sessionGate)
            {
                _busy--;
                if (failed && ReferenceEquals(_session, session))
                {
                    // A session that failed (cannot open, cancelled, died) is not reused.
                    _session = null;
                    session.Dispose();
                }
                else if (_session is not null)
                {
                    _idleTimer ??= new Timer(_ => CloseIfIdle());
                    _idleTimer.Change(SessionIdleTime, Timeout.InfiniteTimeSpan);
                }
            }
        }
    }

    /// <summary>Closes the read session (before anything writes the image, and when the owner is done).</summary>
    public void CloseSession()
    {
        lock (_sessionGate)
        {
            _session?.Dispose();
            _session = null;
            _idleTimer?.Dispose();
            _idleTimer = null;
        }
    }

    public void Dispose() => CloseSession();

    public async Task FetchAsync(GuestTreeNeeds needs, bool withFeatures, ScratchFiles scratch, CancellationToken cancellationToken)
    {
        var commands = new List<string>();
        var parsers = new List<Action<DebugfsReply>>();
        if (withFeatures || Features is null)
        {
            commands.Add("features");
            parsers.Add(reply => Features = ParseFeatures(reply.Output));
        }

        if (!_listings.ContainsKey(RootInode))
        {
            needs.Listings.Add(RootInode);
        }

        foreach (var path in needs.PrefetchPaths.Order(StringComparer.Ordinal))
        {
            commands.Add($"ls -p {GuestPath.Quote(path)}");
            parsers.Add(reply => StoreListing(null, reply));
        }

        foreach (var inode in needs.Listings)
        {
            commands.Add($"ls -p <{inode}>");
            parsers.Add(reply => StoreListing(inode, reply));
        }

        foreach (var inode in needs.LinkTargets)
        {
            var dumpPath = scratch.File($"link-{inode}");
            commands.Add($"stat <{inode}>");
            parsers.Add(reply => _linkTargets[inode] = FastLinkTarget(reply.Output));
            commands.Add($"dump <{inode}> {GuestPath.Quote(dumpPath)}");
            parsers.Add(reply =>
            {
                // Slow symlinks keep their target in a data block; fast ones (short targets) only show in stat.
                if (!reply.Failed && File.Exists(dumpPath) && new FileInfo(dumpPath).Length > 0)
                {
                    _linkTargets[inode] = File.ReadAllText(dumpPath);
                }

                _linkTargets.TryAdd(inode, null);
            });
        }

        var replies = await ReadAsync(commands, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < replies.Count; i++)
        {
            parsers[i](replies[i]);
        }

        foreach (var inode in needs.Listings)
        {
            // A failed listing (not a directory, bad inode) is cached as empty so resolution cannot spin.
            _listings.TryAdd(inode, new Dictionary<string, GuestNode>(StringComparer.Ordinal));
        }
    }

    private void CloseIfIdle()
    {
        lock (_sessionGate)
        {
            if (_busy == 0)
            {
                _session?.Dispose();
                _session = null;
            }
        }
    }

    public static IReadOnlySet<string> ParseFeatures(string output)
    {
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("Filesystem features:", StringComparison.Ordinal)) ?? string.Empty;
        return line["Filesystem features:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
    }

    private void StoreListing(uint? expectedInode, DebugfsReply reply)
    {
        if (reply.Failed)
        {
            return;
        }

        var entries = new Dictionary<string, GuestNode>(StringComparer.Ordinal);
        GuestNode? self = null;
        foreach (var line in reply.Output.Split('\n'))
        {
            var match = ListLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            // Inode 0: a removed entry that ext keeps as the head of its directory block; debugfs still prints it.
            if (match.Groups["ino"].Value == "0")
            {
                continue;
            }

            var name = match.Groups["name"].Value;
            var node = new GuestNode(
                uint.Parse(match.Groups["ino"].Value, CultureInfo.InvariantCulture),
                Convert.ToInt32(match.Groups["mode"].Value, 8),
                uint.Parse(match.Groups["uid"].Value, CultureInfo.InvariantCulture),
                uint.Parse(match.Groups["gid"].Value, CultureInfo.InvariantCulture),
                match.Groups["size"].Value.Length > 0 ? long.Parse(match.Groups["size"].Value, CultureInfo.InvariantCulture) : 0);
            if (name == ".")
            {
                self = node;
            }
            else if (name != "..")
            {
                entries[name] = node;
            }
        }

        if (self is null || (expectedInode is { } expected && self.Inode != expected))
        {
            return;
        }

        _self[self.Inode] = self;
        _listings[self.Inode] = entries;
    }

    private static string? FastLinkTarget(string statOutput)
    {
        const string prefix = "Fast link dest: \"";
        foreach (var line in statOutput.Split('\n'))
        {
            var at = line.IndexOf(prefix, StringComparison.Ordinal);
            if (at >= 0 && line.EndsWith('"'))
            {
                return line[(at + prefix.Length)..^1];
            }
        }

        return null;
    }

    // debugfs "ls -p": /inode/mode(octal)/uid/gid/name/size/ — size is empty for directories.
    [GeneratedRegex(@"^/(?<ino>\d+)/(?<mode>[0-7]+)/(?<uid>\d+)/(?<gid>\d+)/(?<name>[^/]*)/(?<size>\d*)/$", RegexOptions.CultureInvariant)]
    private static partial Regex ListLine();
}
