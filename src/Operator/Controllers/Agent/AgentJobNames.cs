using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Imprint.Operator.Controllers.Agent;

/// <summary>
/// Deterministic names <c>&lt;owner&gt;-&lt;step&gt;-a&lt;attempt&gt;</c>: a retry is a new Job (its predecessor's pod and
/// message stay readable), and a restarted operator finds the Job it already made instead of making another. The
/// generation is not part of the name on purpose: disk work depends only on immutable fields (source, seal,
/// customize), so a change of a mutable field (sharing, snapshot, reclaimPolicy) must not redo it. Long owner names
/// are cut and given a hash so two owners never share a name.
/// </summary>
public static class AgentJobNames
{
    private const int MaxLength = 63;

    public static string Job(string owner, AgentStep step, int attempt) =>
        Compose(owner, string.Create(CultureInfo.InvariantCulture, $"{Step(step)}-a{attempt}"));

    /// <summary>The ConfigMap carrying a step's input file (customize.json).</summary>
    public static string Input(string owner, AgentStep step, int attempt) =>
        Compose(owner, string.Create(CultureInfo.InvariantCulture, $"{Step(step)}-input-a{attempt}"));

    public static string Step(AgentStep step) => step.ToString().ToLowerInvariant();

    internal static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static string Compose(string owner, string suffix)
    {
        var name = $"{owner}-{suffix}";
        if (name.Length <= MaxLength)
        {
            return name;
        }

        var room = MaxLength - suffix.Length - 10;
        return $"{owner[..room].TrimEnd('-', '.')}-{Hash(owner)[..8]}-{suffix}";
    }
}
