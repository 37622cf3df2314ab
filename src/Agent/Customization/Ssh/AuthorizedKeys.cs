using System.Buffers.Binary;
using System.Text;

namespace Imprint.Agent.Customization.Ssh;

/// <summary>Validation and idempotent merging of authorized_keys lines.</summary>
public static class AuthorizedKeys
{
    private static readonly string[] KeyTypes =
    [
        "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", "ssh-dss",
    ];

    /// <summary>True when the line is "[options] type base64 [comment]" and the blob names the same type.</summary>
    public static bool IsValidLine(string line)
    {
        var fields = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var typeIndex = Array.FindIndex(fields, f => KeyTypes.Contains(f));
        if (typeIndex < 0 || typeIndex + 1 >= fields.Length)
        {
            return false;
        }

        try
        {
            var blob = Convert.FromBase64String(fields[typeIndex + 1]);
            var length = BinaryPrimitives.ReadInt32BigEndian(blob);
            return length > 0 && length <= blob.Length - 4 && Encoding.ASCII.GetString(blob, 4, length) == fields[typeIndex];
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Existing content plus the keys not yet present (compared by key blob), one per line.</summary>
    public static string Merge(string? existing, IEnumerable<string> keys)
    {
        var text = existing ?? string.Empty;
        var present = text.Split('\n').Select(Blob).Where(b => b is not null).ToHashSet(StringComparer.Ordinal);
        var builder = new StringBuilder(text);
        if (builder.Length > 0 && builder[^1] != '\n')
        {
            builder.Append('\n');
        }

        foreach (var key in keys.Select(k => k.Trim()))
        {
            if (present.Add(Blob(key)))
            {
                builder.Append(key).Append('\n');
            }
        }

        return builder.ToString();
    }

    private static string? Blob(string line)
    {
        var fields = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var typeIndex = Array.FindIndex(fields, f => KeyTypes.Contains(f));
        return typeIndex >= 0 && typeIndex + 1 < fields.Length ? fields[typeIndex + 1] : null;
    }
}
