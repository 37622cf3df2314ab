using Imprint.Agent.Guest;

namespace Imprint.Agent.Appliance;

/// <summary>
/// The guest tree as the appliance shows it (lstat, readlink and ls answers, cached) plus an overlay of what a batch
/// being planned has changed so far, so each operation is checked against the state the earlier ones leave. Paths are
/// resolved here, component by component, with symlinks followed inside the guest (absolute targets from the guest
/// root, '..' stopping at '/'), never by the appliance's own path walk, so planning and applying agree.
/// </summary>
internal sealed class ApplianceView(ApplianceSession session)
{
    public const int MaxSymlinkHops = 40;

    private readonly Dictionary<string, ApplianceNode?> _live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _liveChildren = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ApplianceNode?> _overlay = new(StringComparer.Ordinal);

    public ApplianceSession Session { get; } = session;

    /// <summary>Forgets everything: after a batch was applied the live answers are stale.</summary>
    public void Clear()
    {
        _live.Clear();
        _liveChildren.Clear();
        _overlay.Clear();
    }

    /// <summary>The node at a canonical path (no symlinks on the way), or null.</summary>
    public ApplianceNode? Lookup(string path)
    {
        if (path == GuestPath.Root)
        {
            return _overlay.TryGetValue(path, out var rootNode) ? rootNode : Live(path);
        }

        if (_overlay.TryGetValue(path, out var node))
        {
            return node;
        }

        // Below a path the overlay replaced or removed, nothing of the live tree remains.
        for (var ancestor = GuestPath.Parent(path); ; ancestor = GuestPath.Parent(ancestor))
        {
            if (_overlay.TryGetValue(ancestor, out var replaced) && replaced is not { Live: true })
            {
                return null;
            }

            if (ancestor == GuestPath.Root)
            {
                break;
            }
        }

        return Live(path);
    }

    /// <summary>Records what an operation leaves at a canonical path (null: removed, with everything below it).</summary>
    public void Set(string path, ApplianceNode? node)
    {
        // A live node with new metadata (chmod, a rewritten file) keeps what is below it; anything else replaces it.
        var replacesBelow = node is not { Live: true };
        foreach (var key in _overlay.Keys.Where(k => replacesBelow && GuestPath.IsUnder(k, path)).ToList())
        {
            _overlay.Remove(key);
        }

        _overlay[path] = node;
    }

    /// <summary>Names in a canonical directory, sorted ordinally.</summary>
    public IReadOnlyList<string> Children(string directory)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var node = Lookup(directory);
        if (node is null)
        {
            return [];
        }

        if (node.Live)
        {
            foreach (var name in LiveChildren(directory))
            {
                names.Add(name);
            }
        }

        foreach (var (path, child) in _overlay)
        {
            if (path != GuestPath.Root && GuestPath.Parent(path) == directory)
            {
                if (child is null)
                {
                    names.Remove(GuestPath.Name(path));
                }
                else
                {
                    names.Add(GuestPath.Name(path));
                }
            }
        }

        return [.. names];
    }

    /// <summary>
    /// Resolves a guest path: directories on the way always followed, the final component only when
    /// <paramref name="followFinal"/>. The result names the canonical path reached and what is there.
    /// </summary>
    public ApplianceResolution Resolve(string path, bool followFinal)
    {
        var pending = new Queue<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var current = GuestPath.Root;
        var hops = 0;
        while (pending.Count > 0)
        {
            var component = pending.Dequeue();
            if (component == ".")
            {
                continue;
            }

            if (component == "..")
            {
                current = GuestPath.Parent(current);
                continue;
            }

            var isLast = pending.Count == 0;
            var candidate = GuestPath.Combine(current, component);
            var node = Lookup(candidate);
            if (node is null)
            {
                return new ApplianceResolution(candidate, null, isLast ? ApplianceResolveFailure.None : ApplianceResolveFailure.MissingDirectory);
            }

            if (node.Kind == GuestFileKind.Symlink && (!isLast || followFinal))
            {
                if (++hops > MaxSymlinkHops)
                {
                    return new ApplianceResolution(candidate, null, ApplianceResolveFailure.Loop);
                }

                var target = node.LinkTarget ?? string.Empty;
                var rest = pending.ToList();
                pending = new Queue<string>(target.Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(rest));
                if (target.StartsWith('/'))
                {
                    current = GuestPath.Root;
                }

                if (pending.Count == 0)
                {
                    // A link to "/" (or to its own directory): what it names is that directory.
                    return new ApplianceResolution(current, Lookup(current), ApplianceResolveFailure.None);
                }

                continue;
            }

            if (!isLast && node.Kind != GuestFileKind.Directory)
            {
                return new ApplianceResolution(candidate, node, ApplianceResolveFailure.NotADirectory);
            }

            current = candidate;
            if (isLast)
            {
                return new ApplianceResolution(current, node, ApplianceResolveFailure.None);
            }
        }

        return new ApplianceResolution(current, Lookup(current), ApplianceResolveFailure.None);
    }

    /// <summary>Guest glob with the <see cref="IGuestReader.GlobAsync"/> semantics, against the view.</summary>
    public IReadOnlyList<string> Glob(string pattern)
    {
        var components = GuestPath.Components(pattern, allowDotDot: false);
        var current = new List<string> { GuestPath.Root };
        for (var k = 0; k < components.Length && current.Count > 0; k++)
        {
            var component = components[k];
            var isLast = k == components.Length - 1;
            var next = new List<string>();
            foreach (var spelled in current)
            {
                if (component == GuestGlob.Recursive)
                {
                    if (!isLast)
                    {
                        next.Add(spelled);
                    }

                    Descend(spelled, isLast, next);
                }
                else if (!GuestGlob.HasWildcards(component))
                {
                    var candidate = GuestPath.Combine(spelled, component);
                    var resolved = Resolve(candidate, followFinal: !isLast);
                    if (resolved is { Failure: ApplianceResolveFailure.None, Node: not null }
                        && (isLast || resolved.Node.Kind == GuestFileKind.Directory))
                    {
                        next.Add(candidate);
                    }
                }
                else
                {
                    var directory = Resolve(spelled, followFinal: true);
                    if (directory is not { Failure: ApplianceResolveFailure.None, Node.Kind: GuestFileKind.Directory })
                    {
                        continue;
                    }

                    foreach (var name in Children(directory.Path))
                    {
                        if (!GuestGlob.Matches(component, name))
                        {
                            continue;
                        }

                        var candidate = GuestPath.Combine(spelled, name);
                        if (isLast || Resolve(candidate, followFinal: true) is { Failure: ApplianceResolveFailure.None, Node.Kind: GuestFileKind.Directory })
                        {
                            next.Add(candidate);
                        }
                    }
                }
            }

            current = next;
        }

        return [.. current.Where(p => p != GuestPath.Root).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Non-hidden directories below <paramref name="spelled"/> (symlinks not followed), and as last component also files.</summary>
    private void Descend(string spelled, bool includeFiles, List<string> into)
    {
        var directory = Resolve(spelled, followFinal: true);
        if (directory is not { Failure: ApplianceResolveFailure.None, Node.Kind: GuestFileKind.Directory })
        {
            return;
        }

        foreach (var name in Children(directory.Path))
        {
            if (name.StartsWith('.'))
            {
                continue;
            }

            var child = Lookup(GuestPath.Combine(directory.Path, name));
            var path = GuestPath.Combine(spelled, name);
            if (child?.Kind == GuestFileKind.Directory)
            {
                into.Add(path);
                Descend(path, includeFiles, into);
            }
            else if (includeFiles && child is not null)
            {
                into.Add(path);
            }
        }
    }

    private ApplianceNode? Live(string path)
    {
        if (_live.TryGetValue(path, out var cached))
        {
            return cached;
        }

        ApplianceNode? node;
        try
        {
            node = ApplianceNode.FromStat(Session.Lstat(path), null);
            if (node.Kind == GuestFileKind.Symlink)
            {
                node = node with { LinkTarget = Session.Readlink(path) };
            }
        }
        catch (ApplianceException ex) when (ex.IsNotFound)
        {
            node = null;
        }

        _live[path] = node;
        return node;
    }

    /// <summary>Lists a live directory and stats every entry with two round trips (ls + lstatnslist, readlinklist).</summary>
    private IReadOnlyList<string> LiveChildren(string directory)
    {
        if (_liveChildren.TryGetValue(directory, out var names))
        {
            return names;
        }

        names = Session.List(directory);
        if (names.Count > 0)
        {
            var stats = Session.LstatMany(directory, names);
            var links = names.Where((_, i) => stats[i]?.IsSymlink == true).ToList();
            var targets = links.Count > 0 ? Session.ReadlinkMany(directory, links) : [];
            var linkTargets = links.Zip(targets).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
            for (var i = 0; i < names.Count; i++)
            {
                var path = GuestPath.Combine(directory, names[i]);
                _live[path] = stats[i] is { } stat ? ApplianceNode.FromStat(stat, linkTargets.GetValueOrDefault(names[i])) : null;
            }
        }

        _liveChildren[directory] = names;
        return names;
    }
}
