namespace Imprint.Operator.Controllers.Agent;

/// <summary>Part of the agent's result document.</summary>
public sealed record AgentGuestDocument
{
    public string? Os { get; init; }

    public string? Distro { get; init; }

    public string? Version { get; init; }

    public string? Arch { get; init; }

    public string? Hostname { get; init; }

    public int? RootPartition { get; init; }

    public string? InitSystem { get; init; }

    public string? PackageFormat { get; init; }

    public string? NetworkStyle { get; init; }

    public bool? CloudInit { get; init; }
}
