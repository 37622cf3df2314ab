namespace Imprint.Operator.Controllers.Agent;

/// <summary>
/// What a step reads besides disks, projected into one read-only folder: Secret and ConfigMap keys as files, among
/// them the spec file from the step's own ConfigMap. Secrets never travel in arguments, environment variables or
/// the step's ConfigMap.
/// </summary>
public sealed record AgentInput(IReadOnlyList<AgentInputFile> Files)
{
    public const string MountPath = "/etc/imprint/input";

    public static string PathOf(string relativePath) => $"{MountPath}/{relativePath}";

    public bool IsEmpty => Files.Count == 0;
}
