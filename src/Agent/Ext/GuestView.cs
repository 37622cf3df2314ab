using Imprint.Agent.Errors;
using Imprint.Agent.Guest;

namespace Imprint.Agent.Ext;

/// <summary>
/// The guest as it will look after the edits planned so far: the on-disk tree (<see cref="GuestTree"/>) with an overlay
/// of planned creations and deletions keyed by canonical path. All methods are synchronous: when data is missing they
/// record it in <see cref="GuestTreeNeeds"/> and return a placeholder; the caller fetches and runs again.
/// </summary>
internal sealed class GuestView(GuestTree tree)
{
    /// <summary>Linux' limit of symlinks followed while resolving one path.</summary>
    public const int MaxSymlinkHops = 40;

    private readonly Dictionary<string, GuestNode?> _overlay = new(StringComparer.Ordinal);

    public GuestNode? Root(GuestTreeNeeds needs) =>
        _overlay.TryGetValue(GuestPath.Root, out var root) ? root : tree.Self(GuestTree.RootInode, needs)
            ?? new GuestNode(GuestTree.RootInode, GuestNode.DirectoryType | 0b111_101_101, 0, 0, 0);

    public void Set(string canonicalPath, GuestNode node) => _overlay[canonicalPath] = node;

    public void Remove(string canonicalPath)
    {
        foreach (var key in _overlay.Keys.Where(k => GuestPath.IsUnder(k, canonicalPath)).ToList())
        {
            _overlay.Remove(key);
        }

        _overlay[canonicalPath] = null;
    }

    public GuestNode? Lookup(string parentPath, GuestNode parent, string name, GuestTreeNeeds needs)
    {
        var path = GuestPath.Combine(parentPath, name);
        if (_overlay.TryGetValue(path, out var planned))
        {
            return planned;
        }

        if (!parent.IsReal || parent.Kind != GuestFileKind.Directory)
        {
            return null;
        }

        var listing = tree.Listing(parent.Inode, needs);
        return listing is not null && listing.TryGetValue(name, out var node) ? node : null;
    }

    /// <summary>Entries of a directory, planned ones included, ordered by name; null while the listing is being fetched.</summary>
    public IReadOnlyList<(string Name, GuestNode Node)>? Children(string path, GuestNode directory, GuestTreeNeeds needs)
    {
        var result = new SortedDictionary<string, GuestNode>(StringComparer.Ordinal);
        if (directory.IsReal)
        {
            var listing = tree.Listing(directory.Inode, needs);
            if (listing is null)
            {
                return null;
            }

            foreach (var (name, node) in listing)
            {
                result[name] = node;
            }
        }

        foreach (var (key, node) in _overlay)
        {
            if (key != GuestPath.Root && GuestPath.Parent(key) == path)
            {
                if (node is null)
                {
                    result.Remove(GuestPath.Name(key));
                }
                else
                {
                    result[GuestPath.Name(key)] = node;
                }
            }
        }

        return result.Select(kv => (kv.Key, kv.Value)).ToList();
    }

    public string? LinkTarget(GuestNode link, GuestTreeNeeds needs, out bool known)
    {
        if (!link.IsReal)
        {
            known = true;
            return link.NewLinkTarget;
        }

        return tree.LinkTarget(link.Inode, needs, out known);
    }

    /// <summary>
    /// Resolves <paramref name="path"/> component by component inside the guest root: absolute link targets start at the
    /// guest root and '..' never climbs above it. Returns null while data is being fetched.
    /// </summary>
    public GuestResolution? Resolve(string path, bool followFinal, GuestTreeNeeds needs)
    {
        var pending = new LinkedList<string>(GuestPath.Components(path, allowDotDot: true));
        var stack = new List<(string Name, GuestNode Node)>();
        var hops = 0;
        if (pending.Count == 0)
        {
            return new GuestResolution(GuestPath.Root, Root(needs), GuestPath.Root, Root(needs));
        }

        while (pending.First is { } first)
        {
            var name = first.Value;
            pending.RemoveFirst();
            if (name is "." or "")
            {
                continue;
            }

            if (name == "..")
            {
                if (stack.Count > 0)
                {
                    stack.RemoveAt(stack.Count - 1);
                }

                continue;
            }

            var dirPath = GuestPath.Join(stack.Select(s => s.Name));
            var dir = stack.Count > 0 ? stack[^1].Node : Root(needs)!;
            var isFinal = pending.Count == 0;
            if (dir.Kind != GuestFileKind.Directory)
            {
                return new GuestResolution(GuestPath.Combine(dirPath, name), null, dirPath, null);
            }

            var child = Lookup(dirPath, dir, name, needs);
            if (needs.Any && child is null)
            {
                return null;
            }

            if (child is null)
            {
                return isFinal
                    ? new GuestResolution(GuestPath.Combine(dirPath, name), null, dirPath, dir)
                    : new GuestResolution(GuestPath.Combine(dirPath, name), null, dirPath, null);
            }

            if (child.Kind == GuestFileKind.Symlink && (!isFinal || followFinal))
            {
                if (++hops > MaxSymlinkHops)
                {
                    throw ImprintException.InvalidImage(
                        $"too many levels of symbolic links (more than {MaxSymlinkHops}) while resolving guest path '{path}'");
                }

                var target = LinkTarget(child, needs, out var known);
                if (!known)
                {
                    return null;
                }

                if (string.IsNullOrEmpty(target))
                {
                    return new GuestResolution(GuestPath.Combine(dirPath, name), null, dirPath, null);
                }

                if (target.StartsWith('/'))
                {
                    stack.Clear();
                }

                var parts = target.Split('/', StringSplitOptions.RemoveEmptyEntries);
                for (var i = parts.Length - 1; i >= 0; i--)
                {
                    pending.AddFirst(parts[i]);
                }

                if (pending.Count == 0)
                {
                    // A link to "/" resolves to the root itself.
                    return new GuestResolution(GuestPath.Root, Root(needs), GuestPath.Root, Root(needs));
                }

                continue;
            }

            stack.Add((name, child));
        }

        var canonical = GuestPath.Join(stack.Select(s => s.Name));
        if (stack.Count == 0)
        {
            return new GuestResolution(GuestPath.Root, Root(needs), GuestPath.Root, Root(needs));
        }

        var parentPath = GuestPath.Parent(canonical);
        var parent = stack.Count > 1 ? stack[^2].Node : Root(needs);
        return new GuestResolution(canonical, stack[^1].Node, parentPath, parent);
    }

    /// <summary>
    /// Expands a guest glob: <c>*</c>, <c>?</c>, <c>[...]</c> per component and <c>**</c> for any depth of
    /// directories (not following symlinks, not entering hidden ones). Matches are returned as spelled by the pattern's
    /// directories, sorted; null while data is being fetched.
    /// </summary>
    public IReadOnlyList<string>? Glob(string pattern, GuestTreeNeeds needs)
    {
        var components = GuestPath.Components(pattern, allowDotDot: false);
        var current = new List<string> { GuestPath.Root };
        for (var k = 0; k < components.Length; k++)
        {
            var component = components[k];
            var isLast = k == components.Length - 1;
            var next = new List<string>();
            foreach (var dirPath in current)
            {
                if (component == GuestGlob.Recursive)
                {
                    if (!isLast)
                    {
                        next.Add(dirPath);
                    }

                    if (!Descend(dirPath, isLast, next, needs))
                    {
                        return null;
                    }
                }
                else if (!GuestGlob.HasWildcards(component))
                {
                    var candidate = GuestPath.Combine(dirPath, component);
                    var resolved = Resolve(candidate, followFinal: !isLast, needs);
                    if (resolved is null)
                    {
                        return null;
                    }

                    if (resolved.Node is not null && (isLast || resolved.Node.Kind == GuestFileKind.Directory))
                    {
                        next.Add(candidate);
                    }
                }
                else
                {
                    var children = DirectoryChildren(dirPath, needs, out var ready);
                    if (!ready)
                    {
                        return null;
                    }

                    foreach (var (name, node) in children)
                    {
                        if (GuestGlob.Matches(component, name) && (isLast || node.Kind is GuestFileKind.Directory or GuestFileKind.Symlink))
                        {
                            next.Add(GuestPath.Combine(dirPath, name));
                        }
                    }
                }
            }

            current = next.Distinct(StringComparer.Ordinal).ToList();
        }

        current.Sort(StringComparer.Ordinal);
        return current.Where(p => p != GuestPath.Root).ToList();
    }

    private IReadOnlyList<(string Name, GuestNode Node)> DirectoryChildren(string dirPath, GuestTreeNeeds needs, out bool ready)
    {
        ready = false;
        var resolved = Resolve(dirPath, followFinal: true, needs);
        if (resolved is null)
        {
            return [];
        }

        ready = true;
        if (resolved.Node is not { Kind: GuestFileKind.Directory } dir)
        {
            return [];
        }

        var children = Children(resolved.Path, dir, needs);
        ready = children is not null;
        return children ?? [];
    }

    private bool Descend(string dirPath, bool includeFiles, List<string> into, GuestTreeNeeds needs)
    {
        var children = DirectoryChildren(dirPath, needs, out var ready);
        if (!ready)
        {
            return false;
        }

        var complete = true;
        foreach (var (name, node) in children)
        {
            if (name.StartsWith('.'))
            {
                continue;
            }

            var childPath = GuestPath.Combine(dirPath, name);
            if (node.Kind == GuestFileKind.Directory)
            {
                into.Add(childPath);
                complete &= Descend(childPath, includeFiles, into, needs);
            }
            else if (includeFiles)
            {
                into.Add(childPath);
            }
        }

        return complete;
    }
}
