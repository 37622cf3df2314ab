namespace Imprint.Agent.Customization.Spec;

/// <summary>A file to write: exactly one of content, contentFile (a mounted Secret/ConfigMap key) or base64.</summary>
public sealed record FileSpec
{
    /// <summary>Absolute guest path.</summary>
    public string? Path { get; set; }

    public string? Content { get; set; }

    /// <summary>Host path of a file whose bytes are copied (relative paths start at the spec's folder).</summary>
    public string? ContentFile { get; set; }

    public string? Base64 { get; set; }

    /// <summary>"0644" (octal string) or a number (decimal, as in Kubernetes' defaultMode); default 0644.</summary>
    public FileModeSpec? Mode { get; set; }

    /// <summary>"uid:gid" or "user:group", resolved against the guest's passwd/group (default 0:0).</summary>
    public string? Owner { get; set; }
}
