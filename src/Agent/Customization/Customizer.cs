using System.Globalization;
using System.Text;
using Imprint.Agent.Customization.Edits;
using Imprint.Agent.Customization.Network;
using Imprint.Agent.Customization.Passwords;
using Imprint.Agent.Customization.Spec;
using Imprint.Agent.Customization.Ssh;
using Imprint.Agent.Customization.Users;
using Imprint.Agent.Diagnostics;
using Imprint.Agent.Errors;
using Imprint.Agent.Ext;
using Imprint.Agent.Guest;
using Imprint.Agent.Results;

namespace Imprint.Agent.Customization;

/// <summary>
/// Applies a <see cref="CustomizationSpec"/> to a Linux guest offline. Everything is read and validated first (spec,
/// users, zone, init system, network style, secret files); then one edit batch is applied (a single debugfs session on
/// the e2fsprogs engine). Runs on any <see cref="IGuestFileSystem"/> engine. Re-running the same spec changes nothing, except host keys and machine-id when asked to regenerate.
/// </summary>
public static class Customizer
{
    private const int PrivateMode = GuestFile.PrivateMode;
    private const int PublicMode = GuestFile.PublicMode;

    public static async Task<CustomizeResult> CustomizeAsync(IGuestFileSystem guest, GuestFacts facts, CustomizationSpec spec, CustomizeOptions options, CancellationToken cancellationToken)
    {
        var planSpan = AgentTrace.Start("customize.plan");
        spec.Validate();
        FileContentStaging.Check(spec.Files, options.BaseDirectory);
        if (spec.FirstBootCommands is { Count: > 0 })
        {
            FirstBootUnit.RequireSystemd(facts.InitSystem);
        }

        // Private to this process (0700) and deleted when the customization ends: staged file contents may be secrets.
        using var scratch = new ScratchFiles();
        var staging = new FileContentStaging(options, scratch);

        ArgumentNullException.ThrowIfNull(guest);
        var reader = guest;
        await reader.PrefetchAsync(["/etc/passwd", "/etc/group", "/etc/shadow", "/etc/hosts", "/etc/hostname", "/etc/sysconfig/network", "/etc/network/interfaces", WickedFiles.NetconfigPath, .. spec.Users is { Count: > 0 } ? UserAccountPlanner.Reads : []], [], cancellationToken).ConfigureAwait(false);
        var passwd = PasswdDatabase.Parse(
            await reader.TryReadTextAsync("/etc/passwd", cancellationToken).ConfigureAwait(false),
            await reader.TryReadTextAsync("/etc/group", cancellationToken).ConfigureAwait(false));
        var plan = new Plan();

        if (spec.Hostname is { } hostname)
        {
            await PlanHostnameAsync(plan, reader, facts, hostname, cancellationToken).ConfigureAwait(false);
        }

        if (spec.Hosts is { Count: > 0 } hosts)
        {
            var current = plan.Pending("/etc/hosts") ?? await reader.TryReadTextAsync("/etc/hosts", cancellationToken).ConfigureAwait(false) ?? string.Empty;
            plan.Write("hosts", new GuestFile("/etc/hosts", HostsFile.WithEntries(current, hosts)));
        }

        if (spec.Dns is { } dns)
        {
            plan.Apply("dns", GuestEdits.Of([.. DnsFiles.Render(dns, facts.ResolvConfIsResolvedStub)]));
        }

        if (spec.RootPassword is { } password)
        {
            await PlanRootPasswordAsync(plan, reader, password, options, cancellationToken).ConfigureAwait(false);
        }

        if (spec.Users is { Count: > 0 } users)
        {
            passwd = await PlanUserAccountsAsync(plan, reader, facts, users, options, cancellationToken).ConfigureAwait(false);
        }

        for (var i = 0; i < (spec.Users?.Count ?? 0); i++)
        {
            await PlanAuthorizedKeysAsync(plan, reader, passwd, spec.Users![i], i, options, cancellationToken).ConfigureAwait(false);
        }

        if (spec.Timezone is { } zone)
        {
            await PlanTimezoneAsync(plan, reader, facts, zone, cancellationToken).ConfigureAwait(false);
        }

        if (spec.Network is { Interfaces.Count: > 0 } network)
        {
            var style = NetworkRenderer.StyleOf(facts.NetworkStyle)
                ?? throw ImprintException.Unsupported($"cannot configure the network: the guest's network style is '{facts.NetworkStyle}'");
            var interfaces = style is NetworkStyle.Ifupdown or NetworkStyle.AlpineInterfaces
                ? await reader.TryReadTextAsync(InterfacesFile.Path, cancellationToken).ConfigureAwait(false)
                : null;
            var netconfig = style is NetworkStyle.Wicked
                ? plan.Pending(WickedFiles.NetconfigPath) ?? await reader.TryReadTextAsync(WickedFiles.NetconfigPath, cancellationToken).ConfigureAwait(false)
                : null;
            plan.Apply("network", NetworkRenderer.Render(style, network, interfaces, facts.CloudInit, netconfig));
        }

        for (var i = 0; i < (spec.Files?.Count ?? 0); i++)
        {
            var file = spec.Files![i];
            var (uid, gid) = file.Owner is { } owner ? passwd.ResolveOwner(owner) : (0u, 0u);
            plan.Batch.MkdirP(Path.GetDirectoryName(file.Path)!);
            await staging.AddAsync(plan.Batch, file, i, file.Mode?.Bits ?? PublicMode, uid, gid, cancellationToken).ConfigureAwait(false);
            plan.Forget(file.Path!);
            plan.Owners.TryAdd(file.Path!, "files");
        }

        if (spec.FirstBootCommands is { Count: > 0 } commands)
        {
            plan.Apply("first-boot", FirstBootUnit.Render(commands));
        }

        string? machineId = null;
        if (spec.RegenerateMachineId)
        {
            machineId = MachineId.NewId();
            plan.Write("machine-id", MachineId.File(machineId));
        }

        var hostKeys = new List<SshHostKeyReport>();
        if (spec.RegenerateSshHostKeys)
        {
            hostKeys.AddRange(await PlanHostKeysAsync(plan, reader, passwd, spec.Hostname ?? facts.Hostname ?? "localhost", options, cancellationToken).ConfigureAwait(false));
        }

        planSpan.Dispose();
        using var applySpan = AgentTrace.Start("customize.apply");
        var changes = options.DryRun
            ? await guest.PlanAsync(plan.Batch, cancellationToken).ConfigureAwait(false)
            : await guest.ApplyAsync(plan.Batch, cancellationToken).ConfigureAwait(false);
        var reports = changes.Where(c => c.IsChange)
            .Select(c => new ChangeReport(plan.Owners.GetValueOrDefault(c.Path, "customize"), c.Path, c.Action.ToString().ToLowerInvariant()))
            .ToList();
        reports.AddRange(await SelinuxRelabel.RequestAfterChangesAsync(guest, facts.Selinux, reports.Count > 0, options.DryRun, cancellationToken).ConfigureAwait(false));
        return new CustomizeResult(reports, hostKeys, machineId, options.DryRun);
    }

    private static async Task PlanHostnameAsync(Plan plan, IGuestReader reader, GuestFacts facts, string hostname, CancellationToken ct)
    {
        var files = HostnameEdit.Render(
            hostname,
            facts.Family,
            await reader.TryReadTextAsync(HostsFile.Path, ct).ConfigureAwait(false),
            await reader.TryReadTextAsync(HostnameEdit.SysconfigNetworkPath, ct).ConfigureAwait(false));
        plan.Apply("hostname", GuestEdits.Of([.. files]));
    }

    private static async Task PlanRootPasswordAsync(Plan plan, IGuestReader reader, RootPasswordSpec password, CustomizeOptions options, CancellationToken ct)
    {
        var shadow = plan.Pending("/etc/shadow") ?? await reader.TryReadTextAsync("/etc/shadow", ct).ConfigureAwait(false)
            ?? throw ImprintException.Unsupported("the guest has no /etc/shadow");
        var current = ShadowFile.PasswordField(shadow, "root");
        var updated = shadow;
        if (password.File is { } file)
        {
            var text = await HostSecretFile.ReadTextAsync(Resolve(options, file), "rootPassword.file", file, HostSecretFile.MaxPasswordBytes, ct).ConfigureAwait(false);
            var plain = text.TrimEnd('\r', '\n');
            if (plain.Length == 0)
            {
                throw CustomizationSpecValidator.Invalid([$"rootPassword.file: '{file}' is empty"]);
            }

            // Keep the existing hash when it already is this password: customizing twice changes nothing.
            if (current is null || !ShaCrypt.Verify(plain, current.TrimStart('!')))
            {
                updated = ShadowFile.WithPassword(updated, "root", ShaCrypt.Hash(plain), options.Now);
            }
        }
        else if (password.Hash is { } hash && current != hash)
        {
            updated = ShadowFile.WithPassword(updated, "root", hash, options.Now);
        }

        if (password.Lock)
        {
            updated = ShadowFile.WithLocked(updated, "root");
        }

        plan.Write("root-password", new GuestFile("/etc/shadow", updated));
    }

    /// <summary>Creates missing users and adds group memberships; returns the user database as it will be afterwards.</summary>
    private static async Task<PasswdDatabase> PlanUserAccountsAsync(Plan plan, IGuestFileSystem reader, GuestFacts facts, IReadOnlyList<UserSpec> users, CustomizeOptions options, CancellationToken ct)
    {
        var accounts = await UserAccountPlanner.PlanAsync(
            reader,
            async path => plan.Pending(path) ?? await reader.TryReadTextAsync(path, ct).ConfigureAwait(false),
            facts.Family,
            users,
            options.Now,
            ct).ConfigureAwait(false);
        foreach (var file in accounts.Files)
        {
            plan.Write("users", file);
        }

        foreach (var home in accounts.Homes)
        {
            plan.Batch.MkdirP(home.Path, home.Mode, home.Uid, home.Gid);
            plan.Owners.TryAdd(home.Path, "users");
            foreach (var item in home.Skel)
            {
                switch (item.Kind)
                {
                    case GuestFileKind.Directory:
                        plan.Batch.MkdirP(item.Path, item.Mode, home.Uid, home.Gid);
                        break;
                    case GuestFileKind.Symlink when item.Target is { } target:
                        // The batch cannot chown a symlink itself (chown follows it); a root-owned link in a user's
                        // home is harmless since link permissions are never checked.
                        plan.Batch.Symlink(item.Path, target);
                        break;
                    default:
                        plan.Batch.WriteFile(item.Path, item.Content, item.Mode, home.Uid, home.Gid);
                        break;
                }

                plan.Owners.TryAdd(item.Path, "users");
            }
        }

        return accounts.Database;
    }

    private static async Task PlanAuthorizedKeysAsync(Plan plan, IGuestReader reader, PasswdDatabase passwd, UserSpec user, int index, CustomizeOptions options, CancellationToken ct)
    {
        if (user.SshAuthorizedKeys is not { Count: > 0 } && user.SshAuthorizedKeysFile is null)
        {
            return;
        }

        var entry = passwd.User(user.Name!);
        var keys = new List<string>(user.SshAuthorizedKeys ?? []);
        if (user.SshAuthorizedKeysFile is { } file)
        {
            var text = await HostSecretFile.ReadTextAsync(Resolve(options, file), $"users[{index}].sshAuthorizedKeysFile", file, HostSecretFile.MaxAuthorizedKeysBytes, ct).ConfigureAwait(false);
            var lines = AuthorizedKeys.Lines(text).ToList();
            var bad = lines.FindIndex(l => !AuthorizedKeys.IsValidLine(l));
            if (bad >= 0)
            {
                throw CustomizationSpecValidator.Invalid([$"users[{index}].sshAuthorizedKeysFile: '{file}', key {bad + 1}: {AuthorizedKeys.Problem(lines[bad])}"]);
            }

            keys.AddRange(lines);
        }

        var sshDir = $"{entry.Home.TrimEnd('/')}/.ssh";
        var keyFile = $"{sshDir}/authorized_keys";
        var existing = await reader.TryReadTextAsync(keyFile, ct).ConfigureAwait(false);
        plan.Batch.MkdirP(sshDir, 0b111_000_000, entry.Uid, entry.Gid);
        plan.Batch.Chmod(sshDir, 0b111_000_000);
        plan.Batch.Chown(sshDir, entry.Uid, entry.Gid);
        plan.Owners[sshDir] = "ssh-authorized-keys";
        plan.Write("ssh-authorized-keys", new GuestFile(keyFile, AuthorizedKeys.Merge(existing, keys), PrivateMode, entry.Uid, entry.Gid));
    }

    private static async Task PlanTimezoneAsync(Plan plan, IGuestFileSystem reader, GuestFacts facts, string zone, CancellationToken ct)
    {
        // Followed inside the guest: zoneinfo is full of links (Etc/UTC -> ../UTC, posix/… -> ..).
        var file = TimezoneEdit.ZoneFile(zone);
        var followed = await reader.StatFollowingAsync(file, ct).ConfigureAwait(false);
        var head = followed is { Kind: GuestFileKind.File, Size: <= TimezoneEdit.MaxZoneFileBytes }
            ? await reader.TryReadBytesAsync(file, TimezoneEdit.TzifMagic.Length, ct).ConfigureAwait(false)
            : null;
        if (TimezoneEdit.InstalledProblem(zone, followed, head) is { } problem)
        {
            throw ImprintException.Usage($"timezone: {problem}");
        }

        plan.Apply("timezone", TimezoneEdit.Render(zone, facts.Family));
    }

    private static async Task<IReadOnlyList<SshHostKeyReport>> PlanHostKeysAsync(Plan plan, IGuestReader reader, PasswdDatabase passwd, string hostname, CustomizeOptions options, CancellationToken ct)
    {
        var existing = await reader.GlobAsync("/etc/ssh/ssh_host_*", ct).ConfigureAwait(false);
        var types = SshHostKeyGenerator.TypesFrom(existing);
        foreach (var path in existing)
        {
            plan.Batch.Delete(path);
            plan.Owners[path] = "ssh-hostkeys";
        }

        if (options.DryRun)
        {
            return types.Select(t => new SshHostKeyReport(t, "(generated when applied)", "(generated when applied)")).ToList();
        }

        // RHEL-family sshd runs key files as root:ssh_keys 0640; elsewhere root:root 0600.
        var sshKeysGid = passwd.TryGroup("ssh_keys")?.Gid;
        var keys = await SshHostKeyGenerator.GenerateAsync(types, $"root@{hostname}", ct).ConfigureAwait(false);
        foreach (var key in keys)
        {
            plan.Write("ssh-hostkeys", new GuestFile(key.PrivatePath, Encoding.ASCII.GetString(key.PrivateKey), sshKeysGid is null ? PrivateMode : 0b110_100_000, 0, sshKeysGid ?? 0));
            plan.Write("ssh-hostkeys", new GuestFile(key.PublicPath, key.PublicKeyLine + "\n", PublicMode, 0, 0));
        }

        return keys.Select(k => new SshHostKeyReport(k.Type, k.PublicKeyLine, k.Fingerprint)).ToList();
    }

    private static string Resolve(CustomizeOptions options, string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(options.BaseDirectory, path));

    /// <summary>The batch being built, which operation owns each path, and the latest content planned per path.</summary>
    private sealed class Plan
    {
        private readonly Dictionary<string, string> _pending = new(StringComparer.Ordinal);

        public GuestEditBatch Batch { get; } = new();

        public Dictionary<string, string> Owners { get; } = new(StringComparer.Ordinal);

        public string? Pending(string path) => _pending.GetValueOrDefault(path);

        /// <summary>A path written with bytes, not text: later steps must not build on an earlier text for it.</summary>
        public void Forget(string path) => _pending.Remove(path);

        public void Apply(string operation, GuestEdits edits)
        {
            foreach (var path in edits.Deletes)
            {
                Batch.Delete(path);
                Owners.TryAdd(path, operation);
            }

            foreach (var file in edits.Files)
            {
                Write(operation, file);
            }

            foreach (var link in edits.Symlinks)
            {
                Batch.MkdirP(Path.GetDirectoryName(link.Path)!);
                Batch.Symlink(link.Path, link.Target);
                Owners.TryAdd(link.Path, operation);
            }
        }

        public void Write(string operation, GuestFile file)
        {
            // Drop-in folders (resolved.conf.d, netplan, /usr/local/lib/imprint…) may not exist yet; an existing
            // folder makes this a no-op.
            Batch.MkdirP(Path.GetDirectoryName(file.Path)!);
            Batch.WriteText(file.Path, file.Content, file.Mode, file.Uid, file.Gid);
            _pending[file.Path] = file.Content;
            Owners.TryAdd(file.Path, operation);
        }
    }
}
