namespace Imprint.Operator.Controllers.Agent;

/// <summary>One Secret or ConfigMap key laid out as a file under the input folder (relative path, e.g. <c>secrets/root-password</c>).</summary>
public sealed record AgentInputFile(AgentInputSource Source, string ObjectName, string Key, string RelativePath)
{
    public static AgentInputFile Secret(string name, string key, string path) => new(AgentInputSource.Secret, name, key, path);

    public static AgentInputFile ConfigMap(string name, string key, string path) => new(AgentInputSource.ConfigMap, name, key, path);
}
