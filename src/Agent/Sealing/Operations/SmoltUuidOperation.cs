namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove the Smolt hardware UUID.</summary>
public sealed class SmoltUuidOperation : DeleteMatchingOperation
{
    public override string Name => "smolt-uuid";

    public override string Description => "Remove the Smolt hardware UUID.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/etc/sysconfig/hw-uuid",
        "/etc/smolt/uuid",
        "/etc/smolt/hw-uuid",
    ];
}
