namespace Imprint.Agent.Customization.Spec;

/// <summary>A file to write: exactly one of content, contentFile (a mounted Secret/ConfigMap key) or base64.</summary>
public sealed class FileSpec
{
    public string? Path { get; set; }

    public string? Content { get; set; }

    public string? ContentFile { get; set; }

    public string? Base64 { get; set; }

    /// <summary>Octal like "0644" (default 0644).</summary>
    public string? Mode { get; set; }

    /// <summary>"uid:gid" or "user:group" resolved against the guest's passwd/group (default root:root).</summary>
    public string? Owner { get; set; }
}
