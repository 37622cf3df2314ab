namespace Imprint.Agent.Tests.Fuzz;

/// <summary>
/// A valid image the fuzzer starts from, and the byte ranges where its metadata lives (partition tables, superblock,
/// container headers): most mutations land there, where parsers make decisions.
/// </summary>
/// <param name="SuperblockOffset">Where the ext superblock of partition 1 lives (0 when the image has none).</param>
public sealed record FuzzSeedImage(string Name, byte[] Bytes, IReadOnlyList<(long Offset, int Length)> HotRanges, long SuperblockOffset = 0);
