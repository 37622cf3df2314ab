namespace Imprint.Agent.Guest;

/// <summary>
/// <see cref="IGuestReader.GlobAsync"/> built from directory listings and stats alone, with exactly the semantics
/// documented there: an engine without its own glob (an appliance) uses it and matches what the e2fsprogs engine
/// matches, so plans are the same on both. One listing per directory visited.
/// </summary>
public static class GuestGlobExpander
{
    public static async Task<IReadOnlyList<string>> ExpandAsync(IGuestFileSystem guest, string pattern, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(guest);
        var components = GuestPath.Components(pattern, allowDotDot: false);
        var current = new List<string> { GuestPath.Root };
        for (var k = 0; k < components.Length; k++)
        {
            var component = components[k];
            var isLast = k == components.Length - 1;
            var next = new List<string>();
            foreach (var directory in current)
            {
                if (component == GuestGlob.Recursive)
                {
                    if (!isLast)
                    {
                        next.Add(directory);
                    }

                    await DescendAsync(guest, directory, isLast, next, cancellationToken).ConfigureAwait(false);
                }
                else if (!GuestGlob.HasWildcards(component))
                {
                    var candidate = GuestPath.Combine(directory, component);
                    var found = isLast
                        ? await guest.StatAsync(candidate, cancellationToken).ConfigureAwait(false) is not null
                        : await guest.StatFollowingAsync(candidate, cancellationToken).ConfigureAwait(false) is { Kind: GuestFileKind.Directory };
                    if (found)
                    {
                        next.Add(candidate);
                    }
                }
                else
                {
                    foreach (var entry in await ChildrenAsync(guest, directory, cancellationToken).ConfigureAwait(false))
                    {
                        if (GuestGlob.Matches(component, entry.Name) && (isLast || entry.Kind is GuestFileKind.Directory or GuestFileKind.Symlink))
                        {
                            next.Add(GuestPath.Combine(directory, entry.Name));
                        }
                    }
                }
            }

            current = next.Distinct(StringComparer.Ordinal).ToList();
        }

        current.Sort(StringComparer.Ordinal);
        return current.Where(p => p != GuestPath.Root).ToList();
    }

    /// <summary>Entries of a directory (a final symlink followed); none when it is missing or not a directory.</summary>
    private static async Task<IReadOnlyList<GuestDirectoryEntry>> ChildrenAsync(IGuestFileSystem guest, string directory, CancellationToken cancellationToken)
    {
        if (await guest.StatFollowingAsync(directory, cancellationToken).ConfigureAwait(false) is not { Kind: GuestFileKind.Directory })
        {
            return [];
        }

        return await guest.ListDirectoryAsync(directory, cancellationToken).ConfigureAwait(false);
    }

    private static async Task DescendAsync(IGuestFileSystem guest, string directory, bool includeFiles, List<string> into, CancellationToken cancellationToken)
    {
        foreach (var entry in await ChildrenAsync(guest, directory, cancellationToken).ConfigureAwait(false))
        {
            if (entry.Name.StartsWith('.'))
            {
                continue;
            }

            var child = GuestPath.Combine(directory, entry.Name);
            if (entry.Kind == GuestFileKind.Directory)
            {
                into.Add(child);
                await DescendAsync(guest, child, includeFiles, into, cancellationToken).ConfigureAwait(false);
            }
            else if (includeFiles)
            {
                into.Add(child);
            }
        }
    }
}
