namespace Imprint.Agent.Tests.Fuzz;

/// <summary>A fuzz input that broke a promise, with what replays it: seed image, seed, input number and mutations.</summary>
public sealed record FuzzFailure(string Image, int Seed, int Input, IReadOnlyList<Mutation> Mutations, string Problem)
{
    public override string ToString() => $"{Image} seed {Seed} input {Input} [{string.Join(", ", Mutations)}]: {Problem}";
}
