namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove RHSM registration data.</summary>
public sealed class RhSubscriptionManagerOperation : DeleteMatchingOperation
{
    public override string Name => "rh-subscription-manager";

    public override string Description => "Remove RHSM registration data.";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/etc/pki/consumer/*",
        "/etc/pki/entitlement/*",
    ];
}
