namespace Imprint.Agent.Customization.Users;

/// <summary>A home directory to create for a new user, owned by it, with the /etc/skel items copied in.</summary>
public sealed record NewHome(string Path, int Mode, uint Uid, uint Gid, IReadOnlyList<SkelEntry> Skel);
