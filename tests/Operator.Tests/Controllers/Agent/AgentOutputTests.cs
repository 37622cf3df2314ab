using Imprint.Operator.Controllers.Agent;

namespace Imprint.Operator.Tests.Controllers.Agent;

public sealed class AgentOutputTests
{
    [Fact]
    public void Reads_a_result_and_ignores_fields_it_does_not_know()
    {
        const string message = """
            {"apiVersion":"imprint.dev/agent-result/v1","command":"customize","ok":true,"exitCode":0,"durationMs":812,"futureField":{"x":1},
             "sshHostKeys":[{"type":"ssh-ed25519","publicKey":"ssh-ed25519 AAAAC3Nza root@web-01","fingerprint":"SHA256:abc"}],
             "changes":[{"operation":"hostname","path":"/etc/hostname","action":"write"}],"changesOmitted":4}
            """;

        var result = AgentOutput.ParseResult(message)!;

        Assert.True(result.Ok);
        Assert.Equal(812, result.DurationMs);
        Assert.Equal("SHA256:abc", Assert.Single(result.SshHostKeys!).Fingerprint);
        Assert.Equal(4, result.ChangesOmitted);
    }

    [Theory]
    [InlineData("")]
    [InlineData("error: cannot open disk\nsecond line")]
    [InlineData("{\"apiVersion\":\"someone-else/v9\",\"ok\":true}")]
    [InlineData("{not json")]
    public void A_message_that_is_not_an_agent_result_reads_as_none(string message) =>
        Assert.Null(AgentOutput.ParseResult(message));

    [Fact]
    public void Progress_is_the_last_complete_progress_line_of_the_log()
    {
        const string log = """
            {"progress":{"stage":"copy","fraction":0.25,"bytesDone":25,"bytesTotal":100,"bytesPerSecond":5}}
            some other output
            {"progress":{"stage":"copy","fraction":0.5,"bytesDone":50,"bytesTotal":100,"bytesPerSecond":5}}
            {"progress":{"stage":"copy","fract
            """;

        var progress = AgentOutput.LastProgress(log)!;

        Assert.Equal((0.5, 50L), (progress.Fraction, progress.BytesDone));
        Assert.Equal("50%", AgentOutput.Percent(progress.Fraction));
    }

    [Fact]
    public void Percent_never_claims_completion_before_the_step_ends() =>
        Assert.Equal(["0%", "99%", "99%"], new[] { -1.0, 0.999, 1.0 }.Select(AgentOutput.Percent));
}
