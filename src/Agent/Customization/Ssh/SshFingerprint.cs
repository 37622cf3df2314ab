using System.Security.Cryptography;

namespace Imprint.Agent.Customization.Ssh;

/// <summary>OpenSSH's SHA256 fingerprint of a public key line, as <c>ssh-keygen -l</c> prints it.</summary>
public static class SshFingerprint
{
    /// <summary>"SHA256:" + unpadded base64 of SHA-256 over the decoded key blob ("type base64 [comment]").</summary>
    public static string Compute(string publicKeyLine)
    {
        var fields = publicKeyLine.Trim().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2 || AuthorizedKeys.BlobType(fields[1]) != fields[0])
        {
            throw new FormatException("not an OpenSSH public key line (type base64 [comment])");
        }

        var blob = Convert.FromBase64String(fields[1]);
        return "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');
    }
}
