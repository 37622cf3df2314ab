using Imprint.Agent.Errors;
using Imprint.Agent.Ext;

namespace Imprint.Agent.Guest;

/// <summary>
/// The one place that picks the engine for a guest root: ext2/3/4 at a contiguous byte range (a partition, a bare
/// filesystem, or a linear LV's segment) goes to e2fsprogs, which never starts an appliance; everything else goes to
/// the registered appliance engine (<see cref="ApplianceEngines.Installed"/>), and without one ends with exit 5
/// naming the root and its filesystem.
/// </summary>
public sealed class GuestFileSystemOpener(IApplianceEngineFactory? applianceEngine)
{
    /// <summary>The opener with this build's appliance engine, if any.</summary>
    public static GuestFileSystemOpener Default { get; } = new(ApplianceEngines.Installed);

    public IApplianceEngineFactory? ApplianceEngine { get; } = applianceEngine;

    /// <summary>The engine <see cref="OpenAsync"/> would use for <paramref name="root"/> (<see cref="GuestEngineName"/>).</summary>
    public string EngineFor(GuestRootLocation root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return UsesExtEngine(root) ? GuestEngineName.E2fsprogs : ApplianceEngine?.EngineName ?? GuestEngineName.Libguestfs;
    }

    /// <summary>Opens the root with the engine chosen for it; exit 5 when no engine can.</summary>
    public async Task<IGuestFileSystem> OpenAsync(GuestRootLocation root, GuestAccess access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (UsesExtEngine(root))
        {
            return new ExtGuestFileSystem(new ExtFileSystem(root.DiskPath, root.Range!.Value), access);
        }

        return await RequireApplianceEngine(root).OpenAsync(root, access, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The grower for the root's filesystem; exit 5 when no engine can grow it.</summary>
    public IGuestFileSystemGrower GrowerFor(GuestRootLocation root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return UsesExtEngine(root) ? new ExtFileSystemGrower() : RequireApplianceEngine(root).Grower;
    }

    private static bool UsesExtEngine(GuestRootLocation root) => root.IsExt && root.Range is not null;

    private IApplianceEngineFactory RequireApplianceEngine(GuestRootLocation root)
    {
        var what = $"{root.Describe()} of '{root.DiskPath}' holds {root.Kind.ToString().ToLowerInvariant()}";
        if (ApplianceEngine is null)
        {
            throw ImprintException.Unsupported($"{what}; editing it needs the libguestfs engine, which this build does not have (ext2/3/4 only)");
        }

        if (ApplianceEngine.UnavailableReason() is { } reason)
        {
            throw ImprintException.Unsupported($"{what}; editing it needs the {ApplianceEngine.EngineName} engine, which cannot run here: {reason}");
        }

        return ApplianceEngine;
    }
}
