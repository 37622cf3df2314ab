namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove the RHN system ID.</summary>
public sealed class RhnSystemidOperation : DeleteMatchingOperation
{
    public override string Name => "rhn-systemid";

    public override string Description => "Remove the RHN system ID.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/etc/sysconfig/rhn/systemid",
        "/etc/sysconfig/rhn/osad-auth.conf",
    ];
}
