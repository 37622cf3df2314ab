using System.Collections.Concurrent;
using Imprint.Operator.Controllers.Configuration;
using k8s.Models;

namespace Imprint.Operator.Controllers.Storage;

/// <summary>
/// Decides per StorageClass whether CSI clones and snapshot restores can be trusted: the administrator's
/// <c>storage.capabilities</c> first, then what this operator observed (a clone that came out without the golden disk),
/// then the class's provisioner (<see cref="KnownProvisioners"/>). Observations live in memory: they are relearned,
/// at the cost of one more verify-and-fall-back, after a restart; the chart value makes them permanent.
/// </summary>
public sealed class StorageCapabilityRegistry(StorageOptions options)
{
    private readonly ConcurrentDictionary<string, string> _cannotClone = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _cannotRestore = new(StringComparer.Ordinal);

    public StorageClassCapabilities For(V1StorageClass? storageClass)
    {
        if (storageClass is null)
        {
            return StorageClassCapabilities.Capable;
        }

        var name = storageClass.Metadata.Name ?? string.Empty;
        options.Capabilities.TryGetValue(name, out var stated);
        var known = KnownProvisioners.WhyNoDataSource(storageClass.Provisioner);
        var knownWhy = known is null ? null : $"StorageClass '{name}' ({storageClass.Provisioner}): {known}";
        return new StorageClassCapabilities(
            Decide(stated?.Clone, name, "clone", _cannotClone, knownWhy),
            Decide(stated?.Snapshot, name, "snapshot", _cannotRestore, knownWhy));
    }

    /// <summary>Remembers that a claim of this class with a PVC (clone) or VolumeSnapshot (restore) dataSource did not hold the golden disk.</summary>
    public void RecordNotPopulated(string storageClass, bool fromSnapshot, string why)
    {
        var observed = $"StorageClass '{storageClass}' gave a claim without the golden disk before ({why})";
        (fromSnapshot ? _cannotRestore : _cannotClone)[storageClass] = observed;
    }

    private static string? Decide(bool? stated, string name, string setting, ConcurrentDictionary<string, string> observed, string? known) => stated switch
    {
        true => null,
        false => $"StorageClass '{name}' is configured without {setting} support (storage.capabilities)",
        _ => observed.TryGetValue(name, out var seen) ? seen : known,
    };
}
