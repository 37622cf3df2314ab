using Imprint.Agent.Guest;

namespace Imprint.Agent.Ext;

/// <summary>A file write whose outcome (unchanged or rewritten) is decided once the old content and xattrs are known.</summary>
internal sealed record WriteIntent(string Path, GuestNode? Existing, GuestFileContent Content, int Mode, uint Uid, uint Gid, uint XattrSource);

/// <summary>One planned change and the debugfs commands that make it.</summary>
internal sealed class PlannedStep(GuestChange change)
{
    public GuestChange Change { get; set; } = change;

    public List<string> Commands { get; } = [];

    public WriteIntent? Write { get; init; }
}
