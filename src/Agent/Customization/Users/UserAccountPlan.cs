using Imprint.Agent.Customization.Edits;
using Imprint.Agent.Customization.Passwords;

namespace Imprint.Agent.Customization.Users;

/// <summary>
/// What user creation and group membership change: account files whose text changed, homes to create, and the
/// guest's user database as it will be afterwards (so keys and file owners can name new users).
/// </summary>
public sealed record UserAccountPlan(IReadOnlyList<GuestFile> Files, IReadOnlyList<NewHome> Homes, PasswdDatabase Database);
