using System.Security.Cryptography;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Importing;

/// <summary>An expected digest given as <c>sha256:HEX</c> or <c>sha512:HEX</c> (the GoldenImage's checksum field).</summary>
public sealed record ImageChecksum(HashAlgorithmName Algorithm, string Hex)
{
    public string Prefix => Algorithm == HashAlgorithmName.SHA512 ? "sha512" : "sha256";

    public static ImageChecksum Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? string.Empty : text[..colon].ToLowerInvariant();
        var hex = colon < 0 ? string.Empty : text[(colon + 1)..].Trim().ToLowerInvariant();
        var (algorithm, length) = name switch
        {
            "sha256" => (HashAlgorithmName.SHA256, 64),
            "sha512" => (HashAlgorithmName.SHA512, 128),
            _ => throw ImprintException.Usage($"--checksum '{text}' must be sha256:HEX or sha512:HEX"),
        };
        if (hex.Length != length || !hex.All(char.IsAsciiHexDigit))
        {
            throw ImprintException.Usage($"--checksum {name} needs {length} hex digits, got {hex.Length}");
        }

        return new ImageChecksum(algorithm, hex);
    }

    public override string ToString() => $"{Prefix}:{Hex}";
}
