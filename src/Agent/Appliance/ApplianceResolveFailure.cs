namespace Imprint.Agent.Appliance;

/// <summary>Why a path could not be resolved to its last component.</summary>
internal enum ApplianceResolveFailure
{
    None,

    /// <summary>A directory on the way does not exist.</summary>
    MissingDirectory,

    /// <summary>Something on the way is not a directory (<see cref="ApplianceResolution.Path"/> names it).</summary>
    NotADirectory,

    /// <summary>More than <see cref="ApplianceView.MaxSymlinkHops"/> symlinks.</summary>
    Loop,
}
