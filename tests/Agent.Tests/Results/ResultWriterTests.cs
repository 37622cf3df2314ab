using System.Text;
using Imprint.Agent.Results;

namespace Imprint.Agent.Tests.Results;

public sealed class ResultWriterTests
{
    [Fact]
    public void Round_trips_a_result_through_json()
    {
        var result = new AgentResult
        {
            Command = "clone",
            Ok = true,
            SshHostKeys = [new SshHostKeyReport("ed25519", "ssh-ed25519 AAAAC3 root@web-01", "SHA256:abc")],
            Changes = [new ChangeReport("hostname", "/etc/hostname", "overwritten")],
        };

        var back = ResultWriter.Deserialize(ResultWriter.Serialize(result));

        Assert.Equal("clone", back.Command);
        Assert.Equal("SHA256:abc", Assert.Single(back.SshHostKeys!).Fingerprint);
        Assert.Equal("/etc/hostname", Assert.Single(back.Changes!).Path);
        Assert.Equal(AgentResult.CurrentApiVersion, back.ApiVersion);
    }

    [Fact]
    public void Bounded_form_fits_the_termination_log_and_keeps_keys_and_counts_dropped_changes()
    {
        var changes = Enumerable.Range(0, 400).Select(i => new ChangeReport("logfiles", $"/var/log/file-{i}.log", "deleted")).ToList();
        var keys = new[] { "rsa", "ecdsa", "ed25519" }.Select(t => new SshHostKeyReport(t, "ssh-" + t + " " + new string('A', 500), "SHA256:" + t)).ToList();
        var result = new AgentResult { Command = "clone", Ok = true, Changes = changes, SshHostKeys = keys };

        var json = ResultWriter.SerializeBounded(result);
        var back = ResultWriter.Deserialize(json);

        Assert.True(Encoding.UTF8.GetByteCount(json) <= ResultWriter.TerminationLogLimit);
        Assert.Equal(3, back.SshHostKeys!.Count);
        Assert.Equal(400, back.Changes!.Count + back.ChangesOmitted);
        Assert.True(back.ChangesOmitted > 0);
    }

    [Fact]
    public void Omits_null_sections_and_zero_omission_count()
    {
        var json = ResultWriter.Serialize(new AgentResult { Command = "inspect", Ok = true });

        Assert.DoesNotContain("changesOmitted", json, StringComparison.Ordinal);
        Assert.DoesNotContain("disk", json, StringComparison.Ordinal);
        Assert.Contains("\"command\":\"inspect\"", json, StringComparison.Ordinal);
    }
}
