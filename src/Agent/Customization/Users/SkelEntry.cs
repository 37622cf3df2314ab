using Imprint.Agent.Ext;
using Imprint.Agent.Guest;

namespace Imprint.Agent.Customization.Users;

/// <summary>
/// One /etc/skel item to copy into a new home: its guest path under the home, kind, permission bits, and the content
/// of a file or the target of a symlink.
/// </summary>
public sealed record SkelEntry(string Path, GuestFileKind Kind, int Mode, byte[] Content, string? Target);
