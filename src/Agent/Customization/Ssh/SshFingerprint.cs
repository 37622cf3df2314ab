using System.Security.Cryptography;

namespace Imprint.Agent.Customization.Ssh;

/// <summary>OpenSSH's SHA256 fingerprint of a public key line, as <c>ssh-keygen -l</c> prints it.</summary>
public static class SshFingerprint
{
    public static string Compute(string publicKeyLine)
    {
        var fields = publicKeyLine.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2)
        {
            throw new FormatException("not an OpenSSH public key line");
        }

        var blob = Convert.FromBase64String(fields[1]);
        return "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');
    }
}
