using System.Globalization;
using System.Text.RegularExpressions;
using Imprint.Operator.Apis;
using Imprint.Operator.Apis.Schema;
using Imprint.Operator.Apis.V1Alpha1;
using ResourceQuantity = k8s.Models.ResourceQuantity;

namespace Imprint.Operator.Controllers.Storage;

/// <summary>Bytes of a disk versus the size a claim must ask for to hold it.</summary>
public static partial class DiskSizing
{
    private const long MiB = 1024 * 1024;

    /// <summary>
    /// A Block claim holds the disk exactly; a Filesystem claim also holds the filesystem that stores disk.img, so it
    /// asks for size / (1 - overhead), rounded up to whole MiB (as CDI does).
    /// </summary>
    public static long ClaimBytes(long diskBytes, VolumeMode mode, double filesystemOverhead)
    {
        if (mode == VolumeMode.Block)
        {
            return RoundUp(diskBytes);
        }

        var withOverhead = (long)Math.Ceiling(diskBytes / (1 - filesystemOverhead));
        return RoundUp(withOverhead);
    }

    /// <summary>
    /// The disk a claim of <paramref name="claimBytes"/> holds, the inverse of <see cref="ClaimBytes"/> rounded up to
    /// whole MiB (a whole number of sectors): a claim asking for <see cref="ClaimBytes"/> of it asks for at least
    /// <paramref name="claimBytes"/>, so a volume provisioned for it also satisfies the original claim (a populator's prime claim).
    /// </summary>
    public static long DiskBytesFor(long claimBytes, VolumeMode mode, double filesystemOverhead)
    {
        if (mode == VolumeMode.Block)
        {
            return claimBytes;
        }

        return RoundUp((long)Math.Ceiling(claimBytes * (1 - filesystemOverhead)));
    }

    /// <summary>Bytes of an int-or-string quantity (<c>10737418240</c> or <c>"10Gi"</c>).</summary>
    public static long Bytes(IntOrString size)
    {
        ArgumentNullException.ThrowIfNull(size);
        if (size.IntValue is { } value)
        {
            return value;
        }

        return TryBytes(size.StringValue, out var bytes) ? bytes : throw new FormatException($"'{size.StringValue}' is not a quantity");
    }

    /// <summary>
    /// Bytes of a quantity, rounded up; false for text that is not a Kubernetes quantity (the library's parser is
    /// lenient, so the API server's pattern decides first).
    /// </summary>
    public static bool TryBytes(string? quantity, out long bytes)
    {
        bytes = 0;
        if (quantity is null || !QuantityPattern().IsMatch(quantity))
        {
            return false;
        }

        bytes = (long)decimal.Ceiling(new ResourceQuantity(quantity).ToDecimal());
        return true;
    }

    /// <summary>Bytes of a quantity of a built-in object (a claim's capacity or request), rounded up.</summary>
    public static bool TryBytes(ResourceQuantity? quantity, out long bytes) => TryBytes(quantity?.ToString(), out bytes);

    /// <summary>The largest whole binary unit, as Kubernetes prints a quantity (<c>2Gi</c>, <c>3Mi</c>, <c>5Ki</c>), else bytes.</summary>
    public static string Format(long bytes) => bytes != 0 && bytes % (1024 * MiB) == 0
        ? (bytes / (1024 * MiB)).ToString(CultureInfo.InvariantCulture) + "Gi"
        : bytes != 0 && bytes % MiB == 0 ? (bytes / MiB).ToString(CultureInfo.InvariantCulture) + "Mi"
        : bytes != 0 && bytes % 1024 == 0 ? (bytes / 1024).ToString(CultureInfo.InvariantCulture) + "Ki"
        : bytes.ToString(CultureInfo.InvariantCulture);

    private static long RoundUp(long bytes) => (bytes + MiB - 1) / MiB * MiB;

    [GeneratedRegex(SchemaPatterns.Quantity, RegexOptions.CultureInvariant)]
    private static partial Regex QuantityPattern();
}
