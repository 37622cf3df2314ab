using System.Text;

namespace Imprint.Agent.Customization.Edits;

/// <summary>
/// First-boot commands as a systemd oneshot unit. The unit runs a script that executes each command, logs its exit
/// status to /var/log/imprint-firstboot.log, then disables the unit and deletes itself, so it runs exactly once.
/// </summary>
public static class FirstBootUnit
{
    public const string UnitPath = "/etc/systemd/system/imprint-firstboot.service";
    public const string WantsLink = "/etc/systemd/system/multi-user.target.wants/imprint-firstboot.service";
    public const string ScriptPath = "/usr/local/lib/imprint/firstboot.sh";

    public static string Unit => """
        # Written by imprint: runs the clone's first-boot commands once.
        [Unit]
        Description=Imprint first-boot commands
        After=network-online.target
        Wants=network-online.target
        ConditionPathExists=/usr/local/lib/imprint/firstboot.sh

        [Service]
        Type=oneshot
        ExecStart=/bin/sh /usr/local/lib/imprint/firstboot.sh
        RemainAfterExit=no

        [Install]
        WantedBy=multi-user.target

        """;

    public static string Script(IReadOnlyList<string> commands)
    {
        var text = new StringBuilder("#!/bin/sh\n# Written by imprint. Runs once, then removes itself.\nlog=/var/log/imprint-firstboot.log\n");
        foreach (var command in commands)
        {
            // Each command runs in its own sh so one failure does not stop the rest; the quoted copy is only logged.
            text.Append("echo \"+ ").Append(command.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("$", "\\$", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal)).Append("\" >>\"$log\"\n");
            text.Append("( ").Append(command).Append("\n) >>\"$log\" 2>&1\n");
            text.Append("echo \"exit $?\" >>\"$log\"\n");
        }

        text.Append("systemctl disable imprint-firstboot.service >>\"$log\" 2>&1\nrm -f /usr/local/lib/imprint/firstboot.sh\n");
        return text.ToString();
    }
}
