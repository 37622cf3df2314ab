namespace Imprint.Agent.Sealing.Operations;

/// <summary>Remove log files (syslog, journal, audit, package and installer logs, login records).</summary>
public sealed class LogfilesOperation : DeleteMatchingOperation
{
    public override string Name => "logfiles";

    public override string Description => "Remove log files (syslog, journal, audit, package and installer logs, login records).";

    public override IReadOnlyList<string> Patterns { get; } =
    [
        "/var/log/*.log",
        "/var/log/*.log.*",
        "/var/log/*.[0-9]",
        "/var/log/*.gz",
        "/var/log/*.old",
        "/var/log/syslog*",
        "/var/log/messages*",
        "/var/log/secure*",
        "/var/log/maillog*",
        "/var/log/cron*",
        "/var/log/spooler*",
        "/var/log/boot.log*",
        "/var/log/dmesg*",
        "/var/log/kern.log*",
        "/var/log/auth.log*",
        "/var/log/daemon.log*",
        "/var/log/debug*",
        "/var/log/wtmp",
        "/var/log/btmp",
        "/var/log/lastlog",
        "/var/log/faillog",
        "/var/log/tallylog",
        "/var/log/apt/*",
        "/var/log/dnf*",
        "/var/log/yum.log*",
        "/var/log/zypper.log*",
        "/var/log/installer/*",
        "/var/log/anaconda/*",
        "/var/log/audit/*",
        "/var/log/journal/*",
        "/var/log/sa/*",
        "/var/log/ntpstats/*",
        "/var/log/landscape/*",
        "/var/log/unattended-upgrades/*",
        "/var/log/cups/*",
        "/var/log/gdm/*",
        "/var/log/httpd/*",
        "/var/log/nginx/*",
        "/var/log/apache2/*",
        "/var/log/sssd/*",
        "/var/log/samba/*",
        "/var/log/ConsoleKit/*",
        "/var/log/ppp/*",
        "/var/log/squid/*",
        "/var/log/mail/*",
        "/var/log/news/*",
        "/root/anaconda-ks.cfg",
        "/root/anaconda-post.log",
        "/root/install.log",
        "/root/install.log.syslog",
        "/root/original-ks.cfg",
    ];
}
