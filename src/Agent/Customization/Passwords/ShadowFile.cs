using System.Globalization;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Customization.Passwords;

/// <summary>
/// Reads and edits /etc/shadow text. Edits change one user's line and keep every other byte of the file as it was
/// (comments, order, line endings, trailing newline), so a diff of the guest shows exactly one changed line.
/// </summary>
public static class ShadowFile
{
    public static IReadOnlyList<ShadowEntry> Parse(string? shadow) =>
        PasswdFile.Records(shadow, 2)
            .Select(f => new ShadowEntry(
                f[0],
                f[1],
                f.Length > 2 && long.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var days) ? days : null,
                Field(f, 3),
                Field(f, 4),
                Field(f, 5),
                Field(f, 6),
                Field(f, 7)))
            .ToList();

    /// <summary>
    /// Sets the user's password hash. The last-change field becomes <paramref name="now"/> in days since 1970 (what
    /// passwd(1) does) so password aging counts from the change; when the hash is already the same the text is
    /// returned unchanged, so re-applying a spec on a later day changes nothing.
    /// </summary>
    public static string WithPassword(string shadow, string user, string hash, DateTimeOffset now)
    {
        if (hash.AsSpan().IndexOfAny(":\n\r") >= 0)
        {
            throw ImprintException.Usage($"the password hash for '{user}' contains ':' or a line break");
        }

        return Edit(shadow, user, fields =>
        {
            if (fields[1] == hash)
            {
                return;
            }

            fields[1] = hash;
            if (fields.Length > 2)
            {
                fields[2] = DaysSinceEpoch(now).ToString(CultureInfo.InvariantCulture);
            }
        });
    }

    /// <summary>
    /// Locks the password like <c>passwd -l</c>: a '!' in front of the hash, which keeps it restorable and leaves
    /// key-based SSH logins working. Idempotent; the last-change field is not touched (passwd -l does not either).
    /// </summary>
    public static string WithLocked(string shadow, string user) =>
        Edit(shadow, user, fields =>
        {
            if (!fields[1].StartsWith('!'))
            {
                fields[1] = "!" + fields[1];
            }
        });

    /// <summary>The current password field of <paramref name="user"/>, or null when the user has no line.</summary>
    public static string? PasswordField(string shadow, string user) => Parse(shadow).FirstOrDefault(e => e.Name == user)?.Password;

    public static long DaysSinceEpoch(DateTimeOffset now) => (long)Math.Floor((now - DateTimeOffset.UnixEpoch).TotalDays);

    private static string Field(string[] fields, int index) => fields.Length > index ? fields[index].TrimEnd('\r') : string.Empty;

    private static string Edit(string shadow, string user, Action<string[]> change)
    {
        var lines = shadow.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var fields = lines[i].Split(':');
            if (fields.Length >= 2 && fields[0] == user)
            {
                change(fields);
                lines[i] = string.Join(':', fields);
                return string.Join('\n', lines);
            }
        }

        throw ImprintException.Usage($"user '{user}' has no entry in the guest's /etc/shadow");
    }
}
