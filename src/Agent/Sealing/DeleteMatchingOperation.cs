using Imprint.Agent.Guest;

namespace Imprint.Agent.Sealing;

/// <summary>
/// Base for the many operations that remove whatever matches a list of guest globs. Globs are matched inside the
/// guest; a directory that matches is removed with its contents.
/// </summary>
public abstract class DeleteMatchingOperation : ISealOperation
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    public virtual bool EnabledByDefault => true;

    /// <summary>Guest globs whose matches are deleted (public so the sealer can expand them all in one pass).</summary>
    public abstract IReadOnlyList<string> Patterns { get; }

    public virtual async Task<IReadOnlyList<GuestEdit>> PlanAsync(IGuestReader guest, CancellationToken cancellationToken)
    {
        var edits = new List<GuestEdit>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pattern in Patterns)
        {
            foreach (var path in await guest.GlobAsync(pattern, cancellationToken).ConfigureAwait(false))
            {
                // A path inside a directory already being deleted needs no edit of its own.
                if (seen.Add(path) && !seen.Any(p => path.StartsWith(p + "/", StringComparison.Ordinal)))
                {
                    edits.Add(new GuestEdit(Name, path, GuestEditKind.Delete));
                }
            }
        }

        return edits;
    }
}
