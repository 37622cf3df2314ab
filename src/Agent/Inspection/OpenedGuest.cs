using Imprint.Agent.Guest;

namespace Imprint.Agent.Inspection;

/// <summary>
/// A guest root opened for a command: the filesystem (either engine), where it is, and the inspection completed with
/// the guest's facts (for an appliance root they are read through the appliance). Disposing closes the filesystem.
/// </summary>
public sealed class OpenedGuest(DiskInspection inspection, GuestRootLocation root, IGuestFileSystem fileSystem) : IDisposable
{
    public DiskInspection Inspection { get; } = inspection;

    public GuestRootLocation Root { get; } = root;

    public IGuestFileSystem FileSystem { get; } = fileSystem;

    /// <summary>The guest's facts (inspection found a root, so they are always known).</summary>
    public GuestFacts Facts => Inspection.Guest!;

    public string Engine => FileSystem.EngineName;

    public void Dispose() => FileSystem.Dispose();
}
