using System.Globalization;

namespace Imprint.Agent.Tests.Fuzz;

/// <summary>
/// How much to fuzz. <c>make test</c> runs the defaults (seeded, bounded well under a minute); <c>make fuzz</c> sets
/// IMPRINT_FUZZ_SECONDS (the time limit of each of the two fuzz tests), IMPRINT_FUZZ_INPUTS (in process), IMPRINT_FUZZ_CLI_INPUTS and optionally IMPRINT_FUZZ_SEED for a longer run.
/// </summary>
public sealed record FuzzSettings(int Seed, int Inputs, int CliInputs, TimeSpan Budget)
{
    public const int DefaultSeed = 20261205;

    /// <summary>In-process inputs every run reaches, even past <see cref="Budget"/> (within twice it): the floor.</summary>
    public const int MinimumInputs = 10_000;

    public static FuzzSettings FromEnvironment() => new(
        Number("IMPRINT_FUZZ_SEED", DefaultSeed),
        Number("IMPRINT_FUZZ_INPUTS", MinimumInputs),
        Number("IMPRINT_FUZZ_CLI_INPUTS", 40),
        TimeSpan.FromSeconds(Number("IMPRINT_FUZZ_SECONDS", 25)));

    private static int Number(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
