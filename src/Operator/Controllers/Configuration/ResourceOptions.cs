namespace Imprint.Operator.Controllers.Configuration;

/// <summary>Requests and limits of the agent container (quantities such as "250m", "256Mi").</summary>
public sealed class ResourceOptions
{
    public Dictionary<string, string> Requests { get; set; } = new() { ["cpu"] = "250m", ["memory"] = "256Mi" };

    public Dictionary<string, string> Limits { get; set; } = new() { ["memory"] = "1Gi" };
}
