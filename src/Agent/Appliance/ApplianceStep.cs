using Imprint.Agent.Guest;

namespace Imprint.Agent.Appliance;

/// <summary>One planned change and the appliance calls that make it (none when the change is Unchanged or Missing).</summary>
internal sealed record ApplianceStep(GuestChange Change, Action<ApplianceSession>? Apply);
