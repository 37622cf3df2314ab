using Imprint.Agent.Guest;

namespace Imprint.Agent.Sealing.Operations;

/// <summary>Base for operations that drop some KEY= lines from RHEL-style ifcfg files.</summary>
public abstract class IfcfgKeyRemovalOperation : ISealOperation
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    public bool EnabledByDefault => true;

    /// <summary>Keys whose lines are removed (matched before '=', case-sensitive like the initscripts).</summary>
    protected abstract IReadOnlyList<string> Keys { get; }

    public async Task<IReadOnlyList<GuestEdit>> PlanAsync(IGuestReader guest, CancellationToken cancellationToken)
    {
        var edits = new List<GuestEdit>();
        foreach (var path in await guest.GlobAsync("/etc/sysconfig/network-scripts/ifcfg-*", cancellationToken).ConfigureAwait(false))
        {
            var content = await guest.TryReadTextAsync(path, cancellationToken).ConfigureAwait(false);
            if (content is null)
            {
                continue;
            }

            var kept = RemoveKeys(content, Keys);
            if (!string.Equals(kept, content, StringComparison.Ordinal))
            {
                edits.Add(new GuestEdit(Name, path, GuestEditKind.Rewrite, kept));
            }
        }

        return edits;
    }

    /// <summary>The content without lines assigning any of <paramref name="keys"/>; other lines stay byte for byte.</summary>
    public static string RemoveKeys(string content, IReadOnlyList<string> keys)
    {
        var lines = content.Split('\n');
        var kept = lines.Where(line =>
        {
            var trimmed = line.TrimStart();
            return !keys.Any(key => trimmed.StartsWith(key + "=", StringComparison.Ordinal));
        });
        return string.Join('\n', kept);
    }
}
