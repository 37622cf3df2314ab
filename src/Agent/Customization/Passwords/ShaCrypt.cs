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

    public const int MinRounds = 1000;
    public const int MaxRounds = 999_999_999;
    public const int MaxSaltLength = 16;

    /// <summary>Hashes with a random 16-character salt and the default rounds (no "rounds=" in the result).</summary>
    public static string Hash(string password) => Hash(password, RandomSalt(), null);

    /// <summary>
    /// Hashes with <paramref name="salt"/> (characters from [./0-9A-Za-z]; longer than 16 is truncated, as the spec
    /// says) and <paramref name="rounds"/>: null = 5000 and no "rounds=" field; a value is clamped to 1000..999999999
    /// and always written, as glibc does. The password is UTF-8 encoded.
    /// </summary>
    public static string Hash(string password, string salt, int? rounds)
    {
        if (salt.Any(c => !Alphabet.Contains(c, StringComparison.Ordinal)))
        {
            throw new ArgumentException("a SHA-crypt salt uses only the characters ./0-9A-Za-z", nameof(salt));
        }

        var key = Encoding.UTF8.GetBytes(password);
        var saltText = salt.Length > MaxSaltLength ? salt[..MaxSaltLength] : salt;
        var saltBytes = Encoding.UTF8.GetBytes(saltText);
        var r = rounds is { } n ? Math.Clamp(n, MinRounds, MaxRounds) : DefaultRounds;

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

    /// <summary>
    /// True when <paramref name="hash"/> is a <c>$6$</c> hash of <paramref name="password"/> (compared in constant
    /// time). Other schemes and malformed hashes are false. Used to keep an existing hash when it already matches,
    /// so customizing twice changes nothing.
    /// </summary>
    public static bool Verify(string password, string hash)
    {
        var parts = hash.Split('$');
        if (parts.Length is < 4 or > 5 || parts[0].Length != 0 || parts[1] != "6")
        {
            return false;
        }

        int? rounds = null;
        if (parts.Length == 5)
        {
            if (!parts[2].StartsWith("rounds=", StringComparison.Ordinal)
                || !int.TryParse(parts[2].AsSpan("rounds=".Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }

            rounds = n;
        }

        var salt = parts[^2];
        if (salt.Length > MaxSaltLength || salt.Any(c => !Alphabet.Contains(c, StringComparison.Ordinal)))
        {
            return false;
        }

        var computed = Encoding.ASCII.GetBytes(Hash(password, salt, rounds));
        return CryptographicOperations.FixedTimeEquals(computed, Encoding.ASCII.GetBytes(hash));
    }

    /// <summary>16 random characters from the crypt alphabet (96 bits), from the OS CSPRNG.</summary>
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
