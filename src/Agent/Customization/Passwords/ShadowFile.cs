using Imprint.Agent.Errors;

namespace Imprint.Agent.Customization.Passwords;

/// <summary>Edits /etc/shadow lines for one user, keeping every other byte of the file as it was.</summary>
public static class ShadowFile
{
    /// <summary>Sets the user's password field; lastchg becomes today (days since 1970) so aging rules start now.</summary>
    public static string WithPassword(string shadow, string user, string hash, DateTimeOffset now) =>
        Edit(shadow, user, fields =>
        {
            fields[1] = hash;
            if (fields.Length > 2)
            {
                fields[2] = ((long)(now - DateTimeOffset.UnixEpoch).TotalDays).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        });

    /// <summary>Locks the password like <c>passwd -l</c>: a '!' in front of the hash (idempotent).</summary>
    public static string WithLocked(string shadow, string user) =>
        Edit(shadow, user, fields =>
        {
            if (!fields[1].StartsWith('!'))
            {
                fields[1] = "!" + fields[1];
            }
        });

    /// <summary>The current password field of <paramref name="user"/>, or null when absent.</summary>
    public static string? PasswordField(string shadow, string user) =>
        shadow.Split('\n').Select(l => l.Split(':')).FirstOrDefault(f => f.Length > 1 && f[0] == user)?[1];

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
