using System.Buffers.Binary;
using System.Text;

namespace Imprint.Agent.Customization.Ssh;

/// <summary>Validation and idempotent merging of authorized_keys lines.</summary>
public static class AuthorizedKeys
{
    /// <summary>Key types OpenSSH accepts in authorized_keys (DSA included: old keys still appear in files).</summary>
    public static readonly IReadOnlyList<string> KeyTypes =
    [
        "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", "ssh-dss",
    ];

    /// <summary>True when <see cref="Problem"/> finds nothing wrong.</summary>
    public static bool IsValidLine(string line) => Problem(line) is null;

    /// <summary>
    /// Null when the line is "[options] type base64 [comment]" with a known type and a blob that decodes and starts
    /// with the same type string (what sshd checks); otherwise why not. The key itself is never echoed.
    /// </summary>
    public static string? Problem(string line)
    {
        if (line.AsSpan().IndexOfAny('\n', '\r') >= 0)
        {
            return "one key per line";
        }

        var (type, blob) = Split(line);
        if (type is null || blob is null)
        {
            return $"not an OpenSSH public key line (expected one of {string.Join(", ", KeyTypes)} followed by base64)";
        }

        return BlobType(blob) == type ? null : $"the base64 key data is not a valid {type} key";
    }

    /// <summary>
    /// <paramref name="existing"/> (null: no file yet) followed by each key whose blob is not present yet, one per
    /// line. Existing lines, comments and options stay as they are; merging the result again changes nothing.
    /// </summary>
    public static string Merge(string? existing, IEnumerable<string> keys)
    {
        var text = existing ?? string.Empty;
        var present = text.Split('\n').Select(l => Split(l).Blob).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var builder = new StringBuilder(text);
        if (builder.Length > 0 && builder[^1] != '\n')
        {
            builder.Append('\n');
        }

        foreach (var key in keys.Select(k => k.Trim()).Where(k => k.Length > 0 && !k.StartsWith('#')))
        {
            if (Split(key).Blob is { } blob && present.Add(blob))
            {
                builder.Append(key).Append('\n');
            }
        }

        return builder.ToString();
    }

    /// <summary>The key lines of an authorized_keys-style text: blank lines and comments dropped.</summary>
    public static IReadOnlyList<string> Lines(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

    private static (string? Type, string? Blob) Split(string line)
    {
        // Options come first and may hold quoted spaces (command="a b"); the key type is the first known type token.
        var fields = line.Trim().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var typeIndex = Array.FindIndex(fields, f => KeyTypes.Contains(f));
        return typeIndex >= 0 && typeIndex + 1 < fields.Length ? (fields[typeIndex], fields[typeIndex + 1]) : (null, null);
    }

    internal static string? BlobType(string base64)
    {
        Span<byte> blob = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, blob, out var length) || length < 4)
        {
            return null;
        }

        var typeLength = BinaryPrimitives.ReadUInt32BigEndian(blob);
        return typeLength is > 0 and < 64 && typeLength <= length - 4 ? Encoding.ASCII.GetString(blob.Slice(4, (int)typeLength)) : null;
    }
}
