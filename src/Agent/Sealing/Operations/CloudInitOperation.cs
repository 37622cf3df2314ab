namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove cloud-init's instance state and logs so it runs again on each clone.</summary>
public sealed class CloudInitOperation : DeleteMatchingOperation
{
    public override string Name => "cloud-init";

    public override string Description => "Remove cloud-init's instance state and logs so it runs again on each clone.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/var/lib/cloud/instances/*",
        "/var/lib/cloud/instance",
        "/var/lib/cloud/data/*",
        "/var/lib/cloud/sem/*",
        "/var/lib/cloud/handlers/*",
        "/var/log/cloud-init.log",
        "/var/log/cloud-init-output.log",
    ];
}
