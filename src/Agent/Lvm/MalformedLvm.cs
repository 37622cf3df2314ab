using Imprint.Agent.Errors;

namespace Imprint.Agent.Lvm;

/// <summary>The one error hostile or damaged LVM metadata ends in: exit 4, "malformed LVM metadata: …".</summary>
internal static class MalformedLvm
{
    public static ImprintException Error(string detail) => ImprintException.InvalidImage($"malformed LVM metadata: {detail}");
}
