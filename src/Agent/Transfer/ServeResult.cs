namespace Imprint.Agent.Transfer;

/// <summary>What one successful serve sent: the disk's size, its data extents, and the data hash the client checked.</summary>
public sealed record ServeResult(long VirtualSize, long ExtentCount, long DataBytes, string DataSha256, int RefusedConnections, TimeSpan Elapsed);
