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
    public void Bounded_plan_result_keeps_every_step_its_keys_and_one_change_per_operation()
    {
        var customizeChanges = Enumerable.Range(0, 300).Select(i => new ChangeReport(i % 3 == 0 ? "hostname" : i % 3 == 1 ? "files" : "users", $"/etc/file-{i}", "written")).ToList();
        var sealChanges = Enumerable.Range(0, 200).Select(i => new ChangeReport(i % 2 == 0 ? "logfiles" : "machine-id", $"/var/log/{i}", "deleted")).ToList();
        var keys = new[] { "rsa", "ecdsa", "ed25519" }.Select(t => new SshHostKeyReport(t, "ssh-" + t + " " + new string('A', 500), "SHA256:" + t)).ToList();
        var plan = new AgentResult
        {
            Command = "run",
            Steps =
            [
                new AgentResult { Command = "clone", Ok = true, Step = "copy" },
                new AgentResult { Command = "seal", Ok = true, Step = "seal", Changes = sealChanges },
                new AgentResult { Command = "customize", Ok = true, Step = "customize", Changes = customizeChanges, SshHostKeys = keys },
            ],
        };

        var json = ResultWriter.SerializeBounded(plan);
        var back = ResultWriter.Deserialize(json);

        Assert.True(Encoding.UTF8.GetByteCount(json) <= ResultWriter.TerminationLogLimit);
        Assert.Equal(["copy", "seal", "customize"], back.Steps!.Select(s => s.Step));
        Assert.Equal(3, back.Steps![2].SshHostKeys!.Count);
        Assert.Equal(["files", "hostname", "users"], back.Steps[2].Changes!.Select(c => c.Operation).Order(StringComparer.Ordinal));
        Assert.Equal(300, back.Steps[2].Changes!.Count + back.Steps[2].ChangesOmitted);
        Assert.Equal(["logfiles", "machine-id"], back.Steps[1].Changes!.Select(c => c.Operation).Order(StringComparer.Ordinal));
        Assert.Equal(200, back.Steps[1].Changes!.Count + back.Steps[1].ChangesOmitted);
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
