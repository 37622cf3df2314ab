using System.Globalization;
using Imprint.Agent.Customization.Edits;
using Imprint.Agent.Customization.Passwords;
using Imprint.Agent.Customization.Spec;
using Imprint.Agent.Errors;
using Imprint.Agent.Ext;
using Imprint.Agent.Guest;

namespace Imprint.Agent.Customization.Users;

/// <summary>
/// Plans what <c>useradd -m</c> and <c>usermod -aG</c> would do, offline and without writing: users the guest lacks
/// get the next free uid from UID_MIN, a user-private group (or the existing group of their name), passwd/shadow/
/// group/gshadow lines and a home with /etc/skel copied in; listed supplementary groups get the user as a member.
/// Existing users keep uid, shell and home. Everything is read from the guest (never the host) and checked before
/// the customizer adds the result to its single edit batch; planning the same spec again on the result plans nothing.
/// </summary>
public static class UserAccountPlanner
{
    public const string PasswdPath = "/etc/passwd";
    public const string GroupPath = "/etc/group";
    public const string ShadowPath = "/etc/shadow";
    public const string GshadowPath = "/etc/gshadow";
    public const string LoginDefsPath = "/etc/login.defs";
    public const string SkelPath = "/etc/skel";

    /// <summary>Files the planner reads, for the caller's prefetch.</summary>
    public static IReadOnlyList<string> Reads { get; } = [PasswdPath, GroupPath, ShadowPath, GshadowPath, LoginDefsPath];

    /// <param name="read">Reads a guest file's text as the batch so far leaves it (pending edits first), null when missing.</param>
    public static async Task<UserAccountPlan> PlanAsync(
        IGuestFileSystem reader,
        Func<string, Task<string?>> read,
        GuestFamily family,
        IReadOnlyList<UserSpec> users,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var original = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var path in Reads)
        {
            original[path] = await read(path).ConfigureAwait(false);
        }

        var text = new Dictionary<string, string?>(original, StringComparer.Ordinal);
        var defs = LoginDefs.Parse(text[LoginDefsPath]);
        var database = PasswdDatabase.Parse(text[PasswdPath], text[GroupPath]);
        var homes = new List<NewHome>();
        for (var i = 0; i < users.Count; i++)
        {
            var user = users[i];
            var name = user.Name!;
            var field = $"users[{i}]";
            foreach (var group in user.Groups ?? [])
            {
                if (database.TryGroup(group) is null)
                {
                    throw ImprintException.Usage($"{field}.groups: group '{group}' does not exist in the guest's /etc/group");
                }
            }

            if (database.TryUser(name) is { } existing)
            {
                if (user.Uid is { } wanted && wanted != existing.Uid)
                {
                    throw ImprintException.Usage($"{field}.uid: user '{name}' already exists in the guest with uid {existing.Uid}, not {wanted}");
                }
            }
            else
            {
                var home = await PlanNewUserAsync(reader, family, defs, database, text, user, field, now, cancellationToken).ConfigureAwait(false);
                homes.Add(home);
                database = PasswdDatabase.Parse(text[PasswdPath], text[GroupPath]);
            }

            foreach (var group in user.Groups ?? [])
            {
                text[GroupPath] = AccountText.WithMember(text[GroupPath]!, group, name);
                if (text[GshadowPath] is { } gshadow)
                {
                    // A group without a gshadow line has no shadowed member list to keep in step; grpck reports it either way.
                    text[GshadowPath] = AccountText.WithMember(gshadow, group, name) ?? gshadow;
                }
            }

            database = PasswdDatabase.Parse(text[PasswdPath], text[GroupPath]);
        }

        var files = Reads
            .Where(p => p != LoginDefsPath && text[p] is not null && text[p] != original[p])
            .Select(p => new GuestFile(p, text[p]!))
            .ToList();
        return new UserAccountPlan(files, homes, database);
    }

    private static async Task<NewHome> PlanNewUserAsync(
        IGuestFileSystem reader,
        GuestFamily family,
        LoginDefs defs,
        PasswdDatabase database,
        Dictionary<string, string?> text,
        UserSpec user,
        string field,
        DateTimeOffset now,
        CancellationToken ct)
    {
        var name = user.Name!;
        if (text[ShadowPath] is null)
        {
            throw ImprintException.Unsupported($"{field}: cannot create user '{name}': the guest has no /etc/shadow");
        }

        if (text[PasswdPath] is null || text[GroupPath] is null)
        {
            throw ImprintException.Unsupported($"{field}: cannot create user '{name}': the guest has no /etc/passwd or /etc/group");
        }

        var takenUids = database.Users.Select(u => u.Uid).ToHashSet();
        var takenGids = database.Groups.Select(g => g.Gid).ToHashSet();
        uint uid;
        if (user.Uid is { } wanted)
        {
            if (database.Users.FirstOrDefault(u => u.Uid == wanted) is { } holder)
            {
                throw ImprintException.Usage($"{field}.uid: uid {wanted} is taken by user '{holder.Name}' in the guest");
            }

            uid = wanted;
        }
        else
        {
            uid = NextFree(takenUids, defs.UidMin, defs.UidMax)
                ?? throw ImprintException.Conflict($"{field}: no free uid from {defs.UidMin} to {defs.UidMax - 1} in the guest for user '{name}'");
        }

        uint gid;
        if (database.TryGroup(name) is { } ownGroup)
        {
            gid = ownGroup.Gid;
        }
        else
        {
            // Like useradd's user-private group: the same number as the uid when that gid is free, else the next free one.
            gid = !takenGids.Contains(uid) && uid >= defs.GidMin && uid < defs.GidMax
                ? uid
                : NextFree(takenGids, defs.GidMin, defs.GidMax)
                    ?? throw ImprintException.Conflict($"{field}: no free gid from {defs.GidMin} to {defs.GidMax - 1} in the guest for group '{name}'");
            text[GroupPath] = AccountText.WithLine(text[GroupPath], $"{name}:x:{Id(gid)}:");
            if (text[GshadowPath] is { } gshadow)
            {
                text[GshadowPath] = AccountText.WithLine(gshadow, $"{name}:!::");
            }
        }

        var shell = await ShellAsync(reader, user, field, ct).ConfigureAwait(false);
        var home = $"/home/{name}";
        text[PasswdPath] = AccountText.WithLine(text[PasswdPath], $"{name}:x:{Id(uid)}:{Id(gid)}::{home}:{shell}");

        // '!' is what useradd leaves (no password, locked); Alpine's sshd is built without PAM and refuses key logins
        // to '!'-locked accounts, so there the field is '*' (no password can match, keys still work).
        var locked = family == GuestFamily.Alpine ? "*" : "!";
        var days = ShadowFile.DaysSinceEpoch(now).ToString(CultureInfo.InvariantCulture);
        text[ShadowPath] = AccountText.WithLine(text[ShadowPath], $"{name}:{locked}:{days}:{defs.PassMinDays}:{defs.PassMaxDays}:{defs.PassWarnAge}:::");

        // useradd -m leaves an existing directory as it is and copies no skel into it; so does this.
        var skel = await reader.StatAsync(home, ct).ConfigureAwait(false) is null
            ? await SkelAsync(reader, home, ct).ConfigureAwait(false)
            : null;
        return new NewHome(home, defs.HomeMode, uid, gid, skel ?? []);
    }

    private static async Task<string> ShellAsync(IGuestFileSystem reader, UserSpec user, string field, CancellationToken ct)
    {
        if (user.Shell is { } shell)
        {
            return await reader.StatAsync(shell, ct).ConfigureAwait(false) is not null
                ? shell
                : throw ImprintException.Usage($"{field}.shell: '{shell}' does not exist in the guest");
        }

        return await reader.StatAsync("/bin/bash", ct).ConfigureAwait(false) is not null ? "/bin/bash" : "/bin/sh";
    }

    private static async Task<IReadOnlyList<SkelEntry>> SkelAsync(IGuestFileSystem reader, string home, CancellationToken ct)
    {
        if (await reader.StatAsync(SkelPath, ct).ConfigureAwait(false) is not { Kind: GuestFileKind.Directory })
        {
            return [];
        }

        var found = new List<(string Source, string Target, GuestDirectoryEntry Entry)>();
        var pending = new Queue<(string Source, string Target)>([(SkelPath, home)]);
        while (pending.TryDequeue(out var dir))
        {
            foreach (var entry in await reader.ListDirectoryAsync(dir.Source, ct).ConfigureAwait(false))
            {
                var source = $"{dir.Source}/{entry.Name}";
                var target = $"{dir.Target}/{entry.Name}";
                found.Add((source, target, entry));
                if (entry.Kind == GuestFileKind.Directory)
                {
                    pending.Enqueue((source, target));
                }
            }
        }

        await reader.PrefetchAsync(found.Where(f => f.Entry.Kind == GuestFileKind.File).Select(f => f.Source), found.Where(f => f.Entry.Kind == GuestFileKind.Symlink).Select(f => f.Source), ct).ConfigureAwait(false);
        var entries = new List<SkelEntry>();
        foreach (var (source, target, entry) in found)
        {
            switch (entry.Kind)
            {
                case GuestFileKind.File:
                    entries.Add(new SkelEntry(target, entry.Kind, entry.Mode, await reader.TryReadBytesAsync(source, int.MaxValue, ct).ConfigureAwait(false) ?? [], null));
                    break;
                case GuestFileKind.Directory:
                    entries.Add(new SkelEntry(target, entry.Kind, entry.Mode, [], null));
                    break;
                case GuestFileKind.Symlink:
                    entries.Add(new SkelEntry(target, entry.Kind, entry.Mode, [], (await reader.StatAsync(source, ct).ConfigureAwait(false))?.SymlinkTarget));
                    break;
                default:
                    // Device nodes, FIFOs and sockets in skel are not copied (useradd copies them; no distribution ships any).
                    break;
            }
        }

        return entries;
    }

    private static uint? NextFree(HashSet<uint> taken, uint min, uint max)
    {
        for (var id = min; id < max; id++)
        {
            if (!taken.Contains(id))
            {
                return id;
            }
        }

        return null;
    }

    private static string Id(uint id) => id.ToString(CultureInfo.InvariantCulture);
}
