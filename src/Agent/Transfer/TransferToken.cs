using System.Security.Cryptography;
using System.Text;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Transfer;

/// <summary>The one-time token of a transfer, read from a mounted Secret file. Its value is never printed.</summary>
public sealed class TransferToken
{
    public const int MaxLength = 1024;

    private readonly byte[] _digest;

    private TransferToken(byte[] value)
    {
        Value = value;
        _digest = SHA256.HashData(value);
    }

    /// <summary>The token bytes as sent on the wire.</summary>
    public byte[] Value { get; }

    /// <summary>Reads a token file; surrounding whitespace (the newline of <c>echo x &gt; f</c>) is not part of it.</summary>
    public static TransferToken FromFile(string path)
    {
        if (!File.Exists(path))
        {
            throw ImprintException.NotFound($"token file '{path}' does not exist");
        }

        var text = File.ReadAllText(path).Trim();
        var value = Encoding.UTF8.GetBytes(text);
        if (value.Length == 0 || value.Length > MaxLength)
        {
            throw ImprintException.Usage($"token file '{path}' must hold 1 to {MaxLength} bytes");
        }

        return new TransferToken(value);
    }

    public static TransferToken FromBytes(byte[] value) => new(value);

    /// <summary>Constant-time comparison: hashing first makes the time independent of lengths and of where they differ.</summary>
    public bool Matches(ReadOnlySpan<byte> candidate) => CryptographicOperations.FixedTimeEquals(_digest, SHA256.HashData(candidate));
}
