using System.Text.Json;

namespace Imprint.Agent.Tests.TestGuests;

/// <summary>One <c>imprint</c> command of a matrix run: its exit, output and parsed result document.</summary>
public sealed record StepOutcome(string Command, int Exit, string Stdout, string Stderr, JsonDocument? Result)
{
    /// <summary>The result's <c>engine</c> field, null when the result has none.</summary>
    public string? Engine => Result?.RootElement.TryGetProperty("engine", out var e) == true && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    /// <summary>Fails the test unless the command exited 0, with what it said.</summary>
    public void AssertSucceeded() =>
        Assert.True(Exit == 0, $"imprint {Command} exited {Exit}:\n{Stderr}\n{Stdout}");

    public override string ToString() => $"imprint {Command} → {Exit}";
}
