namespace Imprint.Agent.Customization;

/// <summary>How to run a customization.</summary>
public sealed record CustomizeOptions
{
    /// <summary>Plan and report only; write nothing (host keys are not generated).</summary>
    public bool DryRun { get; init; }

    /// <summary>Folder that relative file paths in the spec (password file, contentFile) are resolved against.</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;
}
