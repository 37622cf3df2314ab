using Imprint.Agent.Guest;

namespace Imprint.Agent.Tests.Guest;

/// <summary>What an engine-independent tool (debugfs, guestfish) says a guest path is (symlinks not followed).</summary>
public sealed record GuestOracleEntry(GuestFileKind Kind, int Mode, uint Uid, uint Gid, string? LinkTarget);
