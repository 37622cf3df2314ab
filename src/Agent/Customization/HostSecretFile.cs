using System.Text;
using Imprint.Agent.Customization.Spec;
using Imprint.Agent.Disk;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Customization;

/// <summary>
/// Reads a small text input the spec names by path (the root password, an authorized_keys file; usually a mounted
/// Secret key): a regular file of at most <c>maxBytes</c>, strict UTF-8, its bytes kept as they are (a BOM is not
/// dropped, invalid UTF-8 is refused rather than replaced). Without the bounds /dev/zero would never finish and a
/// 1 MiB password would take SHA-crypt hours (its work grows with the square of the length).
/// </summary>
internal static class HostSecretFile
{
    /// <summary>Longest root password read: PAM hands a login at most 512 bytes (PAM_MAX_RESP_SIZE).</summary>
    public const int MaxPasswordBytes = 1024;

    /// <summary>Largest authorized_keys file read: what one Kubernetes Secret can hold.</summary>
    public const int MaxAuthorizedKeysBytes = 1 << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file's text; <paramref name="field"/> (e.g. <c>rootPassword.file</c>) names it in errors, never its content.</summary>
    public static async Task<string> ReadTextAsync(string path, string field, string name, int maxBytes, CancellationToken cancellationToken)
    {
        var stat = Statx.OfPath(path);
        if (stat is null)
        {
            throw ImprintException.NotFound(CustomizationSpecValidator.Invalid([$"{field}: '{name}' does not exist"]).Message);
        }

        if (!stat.Value.IsRegularFile)
        {
            throw CustomizationSpecValidator.Invalid([$"{field}: '{name}' is not a regular file"]);
        }

        await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var buffer = new byte[maxBytes + 1];
        var length = await input.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (length > maxBytes)
        {
            throw CustomizationSpecValidator.Invalid([$"{field}: '{name}' is over the limit of {maxBytes} bytes"]);
        }

        try
        {
            return StrictUtf8.GetString(buffer, 0, length);
        }
        catch (DecoderFallbackException)
        {
            throw CustomizationSpecValidator.Invalid([$"{field}: '{name}' is not UTF-8 text"]);
        }
    }
}
