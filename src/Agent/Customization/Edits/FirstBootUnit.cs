using System.Text;
using Imprint.Agent.Errors;

namespace Imprint.Agent.Customization.Edits;

/// <summary>
/// First-boot commands as a systemd oneshot unit. The unit runs a script holding the commands verbatim, one per
/// line, in one shell (so <c>cd</c> and variables carry over, as with cloud-init's runcmd) without <c>set -e</c>:
/// each command's exit status is logged to /var/log/imprint-firstboot.log and the next one still runs. An EXIT trap
/// disables the unit and deletes the script even when a command calls <c>exit</c>, so it runs exactly once; the
/// unit's ConditionPathExists is a second guard should disabling fail.
/// </summary>
public static class FirstBootUnit
{
    public const string UnitName = "imprint-firstboot.service";
    public const string UnitPath = "/etc/systemd/system/" + UnitName;
    public const string WantsLinkPath = "/etc/systemd/system/multi-user.target.wants/" + UnitName;
    public const string ScriptPath = "/usr/local/lib/imprint/firstboot.sh";
    public const string LogPath = "/var/log/imprint-firstboot.log";

    public const string Unit = $"""
        # Written by imprint: runs the clone's first-boot commands once.
        [Unit]
        Description=Imprint first-boot commands
        Wants=network-online.target
        After=network-online.target
        ConditionPathExists={ScriptPath}

        [Service]
        Type=oneshot
        ExecStart=/bin/sh {ScriptPath}
        TimeoutStartSec=0

        [Install]
        WantedBy=multi-user.target

        """;

    /// <summary>Throws Unsupported unless the guest's init is systemd (the name inspection reports, e.g. "openrc").</summary>
    public static void RequireSystemd(string initSystem)
    {
        if (initSystem != "systemd")
        {
            throw ImprintException.Unsupported($"first-boot commands need systemd; this guest uses {initSystem}");
        }
    }

    /// <summary>The unit (0644), the script (0755) and the multi-user.target.wants link that enables the unit.</summary>
    public static GuestEdits Render(IReadOnlyList<string> commands) => new(
        [
            new GuestFile(UnitPath, Unit, GuestFile.PublicMode),
            new GuestFile(ScriptPath, Script(commands), GuestFile.ExecutableMode),
        ],
        [new GuestSymlink(WantsLinkPath, UnitPath)],
        []);

    public static string Script(IReadOnlyList<string> commands)
    {
        var text = new StringBuilder($"""
            #!/bin/sh
            # Written by imprint: the clone's first-boot commands. Runs once, then disables its unit and removes itself.
            set +e
            exec >>{LogPath} 2>&1
            trap 'systemctl disable {UnitName}; rm -f {ScriptPath}' EXIT
            echo "imprint-firstboot: start $(date -u +%Y-%m-%dT%H:%M:%SZ)"

            """);
        for (var i = 0; i < commands.Count; i++)
        {
            var n = i + 1;
            // printf, not echo: dash's echo would interpret backslashes in the logged command.
            text.Append($"printf '%s\\n' {Quote($"imprint-firstboot: [{n}] {commands[i]}")}\n");
            text.Append(commands[i]).Append('\n');
            text.Append($"echo \"imprint-firstboot: [{n}] exit $?\"\n");
        }

        text.Append("echo \"imprint-firstboot: done\"\n");
        return text.ToString();
    }

    // Single-quoted for sh: only the quote itself needs escaping, as '\''.
    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
