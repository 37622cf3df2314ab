using System.Security.Cryptography;
using System.Text;

namespace Imprint.Agent.Customization.Passwords;

/// <summary>
/// SHA-512 crypt (<c>$6$</c>), Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512" — what /etc/shadow holds on
/// every current Linux. Tested against the spec's vectors and <c>openssl passwd -6</c>.
/// </summary>
public static class ShaCrypt
{
    public const int DefaultRounds = 5000;
    private const string Alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>Hashes with a random 16-character salt and the default rounds.</summary>
    public static string Hash(string password) => Hash(password, RandomSalt(), null);

    /// <summary>Hashes with the given salt (truncated to 16 chars) and rounds (null = default, clamped 1000..999999999).</summary>
    public static string Hash(string password, string salt, int? rounds)
    {
        var key = Encoding.UTF8.GetBytes(password);
        var saltText = salt.Length > 16 ? salt[..16] : salt;
        var saltBytes = Encoding.UTF8.GetBytes(saltText);
        var r = rounds is { } n ? Math.Clamp(n, 1000, 999_999_999) : DefaultRounds;

        var b = SHA512.HashData([.. key, .. saltBytes, .. key]);
        using var a = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        a.AppendData(key);
        a.AppendData(saltBytes);
        AppendRepeated(a, b, key.Length);
        for (var length = key.Length; length > 0; length >>= 1)
        {
            a.AppendData((length & 1) != 0 ? b : key);
        }

        var digest = a.GetHashAndReset();
        using var dp = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        for (var i = 0; i < key.Length; i++)
        {
            dp.AppendData(key);
        }

        var p = Repeat(dp.GetHashAndReset(), key.Length);
        using var ds = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        for (var i = 0; i < 16 + digest[0]; i++)
        {
            ds.AppendData(saltBytes);
        }

        var s = Repeat(ds.GetHashAndReset(), saltBytes.Length);
        using var c = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        for (var i = 0; i < r; i++)
        {
            c.AppendData((i & 1) != 0 ? p : digest);
            if (i % 3 != 0)
            {
                c.AppendData(s);
            }

            if (i % 7 != 0)
            {
                c.AppendData(p);
            }

            c.AppendData((i & 1) != 0 ? digest : p);
            digest = c.GetHashAndReset();
        }

        var prefix = rounds is null ? "$6$" : $"$6$rounds={r}$";
        return prefix + saltText + "$" + Encode(digest);
    }

    public static string RandomSalt()
    {
        Span<char> salt = stackalloc char[16];
        for (var i = 0; i < salt.Length; i++)
        {
            salt[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(salt);
    }

    private static void AppendRepeated(IncrementalHash hash, byte[] block, int length)
    {
        for (; length > 64; length -= 64)
        {
            hash.AppendData(block);
        }

        hash.AppendData(block.AsSpan(0, length));
    }

    private static byte[] Repeat(byte[] block, int length)
    {
        var result = new byte[length];
        for (var i = 0; i < length; i++)
        {
            result[i] = block[i % block.Length];
        }

        return result;
    }

    // The spec's byte order for SHA-512, 3 bytes → 4 characters, least significant 6 bits first.
    private static string Encode(byte[] d)
    {
        int[][] groups =
        [
            [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7],
            [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57],
            [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
        ];
        var text = new StringBuilder(86);
        foreach (var g in groups)
        {
            Append(text, (d[g[0]] << 16) | (d[g[1]] << 8) | d[g[2]], 4);
        }

        Append(text, d[63], 2);
        return text.ToString();
    }

    private static void Append(StringBuilder text, int value, int count)
    {
        for (var i = 0; i < count; i++)
        {
            text.Append(Alphabet[value & 0x3f]);
            value >>= 6;
        }
    }
}
