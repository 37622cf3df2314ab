namespace Imprint.Agent.Tests.Fuzz;

/// <summary>
/// A valid image the fuzzer starts from, and the byte ranges where its metadata lives (partition tables, superblock,
/// container headers): most mutations land there, where parsers make decisions.
/// </summary>
public sealed record FuzzSeedImage(string Name, byte[] Bytes, IReadOnlyList<(long Offset, int Length)> HotRanges);
