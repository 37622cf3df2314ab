using Imprint.Agent.Customization.Edits;
using Imprint.Agent.Errors;
using Imprint.Agent.Tests.Support;
using Imprint.Agent.Tools;

namespace Imprint.Agent.Tests.Customization.Edits;

public sealed class FirstBootUnitTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Render_gives_the_unit_the_script_and_the_wants_link()
    {
        var edits = FirstBootUnit.Render(["echo hi"]);

        Assert.Equal(
            [("/etc/systemd/system/imprint-firstboot.service", 0b110_100_100), ("/usr/local/lib/imprint/firstboot.sh", 0b111_101_101)],
            edits.Files.Select(f => (f.Path, f.Mode!.Value)));
        Assert.Equal([new GuestSymlink("/etc/systemd/system/multi-user.target.wants/imprint-firstboot.service", "/etc/systemd/system/imprint-firstboot.service")], edits.Symlinks);
        Assert.Equal(
            """
            # Written by imprint: runs the clone's first-boot commands once.
            [Unit]
            Description=Imprint first-boot commands
            Wants=network-online.target
            After=network-online.target
            ConditionPathExists=/usr/local/lib/imprint/firstboot.sh

            [Service]
            Type=oneshot
            ExecStart=/bin/sh /usr/local/lib/imprint/firstboot.sh
            TimeoutStartSec=0

            [Install]
            WantedBy=multi-user.target

            """,
            edits.Files[0].Content);
    }

    [Fact]
    public void Commands_are_written_verbatim_one_per_line()
    {
        var script = FirstBootUnit.Script(["apt-get update", "echo \"$HOSTNAME\" > /etc/motd"]);

        Assert.Contains("\napt-get update\n", script, StringComparison.Ordinal);
        Assert.Contains("\necho \"$HOSTNAME\" > /etc/motd\n", script, StringComparison.Ordinal);
        Assert.DoesNotContain("set -e\n", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_script_runs_every_command_logs_exit_codes_then_disables_and_removes_itself()
    {
        // Run the real script with sh, its log and own path moved into the temp folder and systemctl faked.
        var log = _temp.File("firstboot.log");
        var scriptPath = _temp.File("firstboot.sh");
        var bin = Directory.CreateDirectory(_temp.File("bin")).FullName;
        File.WriteAllText(Path.Combine(bin, "systemctl"), $"#!/bin/sh\necho \"$@\" >> {_temp.File("systemctl.calls")}\n");
        File.SetUnixFileMode(Path.Combine(bin, "systemctl"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var script = FirstBootUnit.Script(["echo hello", "false", $"cd {_temp.Path}", "pwd", "printf '%s\\n' 'it''s' \"$((1 + 2))\"", "exit 3", "echo never"])
            .Replace(FirstBootUnit.LogPath, log, StringComparison.Ordinal)
            .Replace(FirstBootUnit.ScriptPath, scriptPath, StringComparison.Ordinal);
        File.WriteAllText(scriptPath, script);

        var result = await ToolRunner.RunAsync("sh", [scriptPath], acceptedExitStatuses: [3], environment: new Dictionary<string, string> { ["PATH"] = bin + ":/usr/bin:/bin" });

        var lines = File.ReadAllLines(log);
        Assert.Equal(3, result.ExitStatus);
        Assert.StartsWith("imprint-firstboot: start ", lines[0], StringComparison.Ordinal);
        Assert.Equal(
            [
                "imprint-firstboot: [1] echo hello", "hello", "imprint-firstboot: [1] exit 0",
                "imprint-firstboot: [2] false", "imprint-firstboot: [2] exit 1",
                $"imprint-firstboot: [3] cd {_temp.Path}", "imprint-firstboot: [3] exit 0",
                "imprint-firstboot: [4] pwd", _temp.Path, "imprint-firstboot: [4] exit 0",
                "imprint-firstboot: [5] printf '%s\\n' 'it''s' \"$((1 + 2))\"", "its", "3", "imprint-firstboot: [5] exit 0",
                "imprint-firstboot: [6] exit 3",
            ],
            lines[1..]);
        Assert.Equal("disable imprint-firstboot.service\n", File.ReadAllText(_temp.File("systemctl.calls")));
        Assert.False(File.Exists(scriptPath));
    }

    [Fact]
    public void The_script_is_valid_sh_for_awkward_commands()
    {
        var path = _temp.File("check.sh");
        File.WriteAllText(path, FirstBootUnit.Script(["echo 'single' \"double\" `date` $(id -u)", "printf '%s\\n' a b | sort -r"]));

        Assert.Equal(0, Sh.RunResult("sh", ["-n", path]).ExitStatus);
    }

    [Fact]
    public void Guests_without_systemd_are_refused_clearly()
    {
        FirstBootUnit.RequireSystemd("systemd");
        var error = Assert.Throws<ImprintException>(() => FirstBootUnit.RequireSystemd("openrc"));

        Assert.Equal(ExitCode.Unsupported, error.Code);
        Assert.Equal("first-boot commands need systemd; this guest uses openrc", error.Message);
    }
}
