namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove the yum UUID.</summary>
public sealed class YumUuidOperation : DeleteMatchingOperation
{
    public override string Name => "yum-uuid";

    public override string Description => "Remove the yum UUID.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/var/lib/yum/uuid",
    ];
}
