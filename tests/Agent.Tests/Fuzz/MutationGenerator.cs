using FsCheck;
using FsCheck.Fluent;

namespace Imprint.Agent.Tests.Fuzz;

/// <summary>
/// FsCheck generators of mutation lists for a seed image: 1-6 mutations, mostly inside its metadata ranges, with the
/// boundary values parsers get wrong (0, all ones, sign bits, sizes past the end). Input <c>i</c> of seed <c>s</c> is
/// always the same list, so a failure names a case that replays.
/// </summary>
public static class MutationGenerator
{
    private static readonly ulong[] Interesting =
    [
        0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x200, 0x1000, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0xFFFF_FFFE,
        0x1_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFF,
    ];

    private static readonly Dictionary<string, Gen<Mutation[]>> Generators = [];

    public static Mutation[] For(FuzzSeedImage image, int seed, int input)
    {
        ArgumentNullException.ThrowIfNull(image);
        var rnd = new Rnd((ulong)(uint)seed * 0x9E37_79B9_7F4A_7C15UL ^ (ulong)input);
        Gen<Mutation[]> generator;
        lock (Generators)
        {
            if (!Generators.TryGetValue(image.Name, out generator!))
            {
                generator = Mutations(image);
                Generators[image.Name] = generator;
            }
        }

        return Gen.Sample(generator, 10, rnd, 1)[0];
    }

    // Half the lists end by recomputing checksums, so mutated fields reach the code behind the CRC checks.
    private static Gen<Mutation[]> Mutations(FuzzSeedImage image) =>
        from count in Gen.Choose(1, 6)
        from list in Gen.ArrayOf(One(image), count)
        from fix in Gen.Elements(false, true)
        select fix ? [.. list, new Mutation(MutationKind.FixChecksums, image.SuperblockOffset, 0, 0)] : list;

    private static Gen<Mutation> One(FuzzSeedImage image)
    {
        var length = image.Bytes.Length;
        var hot = Gen.Elements(image.HotRanges.ToArray()).SelectMany(range =>
            Gen.Choose(0, Math.Max(0, range.Length - 1)).Select(at => range.Offset + at));
        var anywhere = Gen.Choose(0, length - 1).Select(at => (long)at);
        var offset = Gen.Frequency((8, hot), (2, anywhere));
        var value = Gen.Frequency(
            (3, Gen.Elements(Interesting)),
            (2, Gen.Choose(0, int.MaxValue).Select(v => (ulong)v)),
            (1, Gen.Choose(0, 255).Select(v => (ulong)v)));
        var kind = Gen.Frequency(
            (4, Gen.Constant(MutationKind.FlipBit)),
            (3, Gen.Constant(MutationKind.SetByte)),
            (4, Gen.Constant(MutationKind.SetU32)),
            (2, Gen.Constant(MutationKind.SetU64)),
            (1, Gen.Constant(MutationKind.Zero)),
            (1, Gen.Constant(MutationKind.Truncate)));
        return from k in kind
               from at in offset
               from v in value
               from n in Gen.Choose(1, 4096)
               select new Mutation(k, at, v, n);
    }
}
