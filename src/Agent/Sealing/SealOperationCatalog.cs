using Imprint.Agent.Errors;
using Imprint.Agent.Guest;
using Imprint.Agent.Sealing.Operations;

namespace Imprint.Agent.Sealing;

/// <summary>Every sealing operation, and the parser of <c>--operations</c> selections.</summary>
public static class SealOperationCatalog
{
    /// <summary>All operations, sorted by name (the order --list-operations prints and plans run in).</summary>
    public static IReadOnlyList<ISealOperation> All { get; } = new ISealOperation[]
    {
        new AbrtDataOperation(),
        new BackupFilesOperation(),
        new BashHistoryOperation(),
        new BlkidTabOperation(),
        new CloudInitOperation(),
        new CrashDataOperation(),
        new CronSpoolOperation(),
        new DhcpClientStateOperation(),
        new DhcpServerStateOperation(),
        new KerberosHostKeyfileOperation(),
        new LogfilesOperation(),
        new LvmSystemDevicesOperation(),
        new MachineIdOperation(),
        new MailSpoolOperation(),
        new NetHostnameOperation(),
        new NetHwaddrOperation(),
        new NetNmconnOperation(),
        new PackageManagerCacheOperation(),
        new PacctLogOperation(),
        new PasswdBackupsOperation(),
        new PuppetDataLogOperation(),
        new RhSubscriptionManagerOperation(),
        new RpmDbOperation(),
        new SshHostKeysOperation(),
        new SshUserdirOperation(),
        new TmpFilesOperation(),
        new UdevPersistentNetOperation(),
        new UtmpOperation(),
        new YumUuidOperation(),
        new PamDataOperation(),
        new SssdDbLogOperation(),
        new SambaDbLogOperation(),
        new DovecotDataOperation(),
        new RhnSystemidOperation(),
        new IpaClientOperation(),
        new SmoltUuidOperation(),
    }.OrderBy(o => o.Name, StringComparer.Ordinal).ToArray();

    public static IReadOnlyList<ISealOperation> Defaults => All.Where(o => o.EnabledByDefault).ToList();

    /// <summary>
    /// Parses a selection like virt-sysprep's <c>--operations</c>: a comma list of names; <c>defaults</c> and
    /// <c>all</c> name groups; <c>-name</c> removes one (a list of removals only starts from the defaults);
    /// <c>none</c> selects nothing. Null or empty means the defaults.
    /// </summary>
    public static IReadOnlyList<ISealOperation> Select(string? selection)
    {
        if (string.IsNullOrWhiteSpace(selection))
        {
            return Defaults;
        }

        var items = selection.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        // Only removals ("-ssh-userdir") means "the defaults without these", which is what people mean by it.
        var chosen = items.All(i => i.StartsWith('-')) ? Defaults.ToList() : [];
        foreach (var raw in items)
        {
            var remove = raw.StartsWith('-');
            var name = remove ? raw[1..] : raw.TrimStart('+');
            var named = name switch
            {
                "defaults" => Defaults,
                "all" => All,
                "none" => [],
                _ => [Find(name)],
            };
            if (remove)
            {
                chosen.RemoveAll(named.Contains);
            }
            else
            {
                chosen.AddRange(named.Where(o => !chosen.Contains(o)));
            }
        }

        return All.Where(chosen.Contains).ToList();
    }

    public static ISealOperation Find(string name) =>
        All.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.Ordinal))
        ?? throw ImprintException.Usage($"unknown seal operation '{name}'; 'imprint seal --list-operations' lists them");
}
