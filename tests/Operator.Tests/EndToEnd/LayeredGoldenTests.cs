using System.Net;
using System.Text.Json.Nodes;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Status;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Tests.EndToEnd.Support;

namespace Imprint.Operator.Tests.EndToEnd;

/// <summary>
/// Layered (derived) goldens: a GoldenImage built from another one (spec.source.goldenImage) plus spec.customize, through
/// the real agent, read back with debugfs and e2fsck. The parent is only read; clones of the child get both layers and
/// their own identity; the refusals (an unshared parent, a cycle, per-clone identity) say why.
/// </summary>
public sealed class LayeredGoldenTests
{
    private const string Ns = "vms";
    private const string Team = "team";
    private const string DeployKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKf1nKDtUk0pQn1pRSaJlF3X0x8w2gkSgEoQmQxTcKqo deploy@example";

    [Fact]
    public async Task Derived_golden_adds_a_user_and_a_file_its_clone_has_both_with_its_own_identity_and_the_parent_is_never_written()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        var parent = await cluster.ReadyGoldenImageAsync(Ns, "base", gi => gi["spec"]!["sharing"] = new JsonObject { ["namespaces"] = new JsonArray(Team) });
        var parentDisk = cluster.Simulator.DiskPath(Ns, parent.Status!.Pvc!.Name);
        var parentHash = await SamplesEndToEndTests.HashAsync(parentDisk);

        // A child in the parent's namespace adds a user and a file; a grandchild in another namespace (shared with it)
        // adds one more file on top of the child, so status.parent shows the whole ancestry.
        await cluster.CreateAsync(Derived(Ns, "web-base", "base", null, new JsonObject
        {
            ["users"] = new JsonArray(new JsonObject { ["name"] = "deploy", ["sshAuthorizedKeys"] = new JsonArray(DeployKey) }),
            ["files"] = new JsonArray(new JsonObject { ["path"] = "/etc/layer-web", ["content"] = "web layer\n" }),
        }, sharing: Team));
        var child = await cluster.WaitForGoldenImageAsync("web-base", Ns, GoldenImagePhase.Ready);
        await cluster.CreateAsync(Derived(Team, "web-team", "web-base", Ns, new JsonObject
        {
            ["files"] = new JsonArray(new JsonObject { ["path"] = "/etc/layer-team", ["content"] = "team layer\n" }),
        }));
        var grandchild = await cluster.WaitForGoldenImageAsync("web-team", Team, GoldenImagePhase.Ready);

        // status.parent: the parent first, the root last, each with the digest that was copied.
        var chain = child.Status!.Parent!;
        var entry = Assert.Single(chain);
        Assert.Equal(("base", Ns, parent.Status.Digest), (entry.Name, entry.Namespace, entry.Digest));
        Assert.Equal([("web-base", Ns, child.Status.Digest), ("base", Ns, parent.Status.Digest)],
            grandchild.Status!.Parent!.Select(p => (p.Name, p.Namespace, p.Digest)));
        Assert.NotEqual(parent.Status.Digest, child.Status.Digest);
        // The parent was sealed already: the layer's seal finds nothing of the parent's identity to remove, and leaves
        // the layer's own authorized keys (ssh-userdir is not among a derived golden's default operations).
        Assert.DoesNotContain("ssh-userdir", child.Status.SealedOperations!);
        Assert.Equal(("linux", "debian"), (child.Status.Inspection!.Os, child.Status.Inspection.Distro));
        E2eAssert.Condition(child.Status.Conditions, ConditionTypes.Ready, ConditionStatus.True, "Ready", child.Metadata.Generation);

        // The child's disk holds the layer, sealed like any golden: no machine-id, no host keys; e2fsck finds it sound.
        var childGuest = await GuestDisk.RootAsync(cluster.Simulator.DiskPath(Ns, child.Status.Pvc!.Name));
        Assert.Equal("web layer\n", await childGuest.TryReadTextAsync("/etc/layer-web"));
        Assert.Matches(@"(?m)^deploy:x:\d+:\d+::/home/deploy:/bin/(ba)?sh$", await childGuest.TryReadTextAsync("/etc/passwd"));
        Assert.Contains(DeployKey, await childGuest.TryReadTextAsync("/home/deploy/.ssh/authorized_keys"), StringComparison.Ordinal);
        Assert.Equal("", await childGuest.TryReadTextAsync("/etc/machine-id"));
        Assert.False(await childGuest.ExistsAsync("/etc/ssh/ssh_host_ed25519_key"));
        var childCheck = await childGuest.CheckAsync();
        Assert.True(childCheck.IsClean, childCheck.Output);

        // The intermediate copies served their purpose and are gone with their claims.
        await cluster.WaitForAsync(() => Task.FromResult(cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "web-base-layer") is null
            && cluster.Server.Get("v1", "persistentvolumeclaims", Team, "web-team-layer") is null ? "" : null), _ => true, "layer claims removed", 15);
        Assert.Null(await cluster.VmCloneAsync("web-base-layer", Ns));

        // A clone of the grandchild: all layers, plus its own host name, machine-id and host keys.
        await cluster.CreateAsync(E2eObjects.VmClone(Team, "web-1", "web-team"));
        var clone = await cluster.WaitForVmCloneAsync("web-1", Team, VmClonePhase.Ready);
        var guest = await GuestDisk.RootAsync(cluster.Simulator.DiskPath(Team, "web-1"));
        Assert.Equal("web layer\n", await guest.TryReadTextAsync("/etc/layer-web"));
        Assert.Equal("team layer\n", await guest.TryReadTextAsync("/etc/layer-team"));
        Assert.Contains(DeployKey, await guest.TryReadTextAsync("/home/deploy/.ssh/authorized_keys"), StringComparison.Ordinal);
        Assert.Equal("web-1\n", await guest.TryReadTextAsync("/etc/hostname"));
        Assert.Matches("^[0-9a-f]{32}$", (await guest.TryReadTextAsync("/etc/machine-id"))!.Trim());
        var hostKey = Assert.Single(clone.Status!.SshHostKeys!, k => k.Type == "ed25519");
        Assert.Equal(hostKey.PublicKey.Split(' ')[1], (await guest.TryReadTextAsync("/etc/ssh/ssh_host_ed25519_key.pub"))!.Split(' ')[1]);
        var check = await guest.CheckAsync();
        Assert.True(check.IsClean, check.Output);

        // The parent disk was only ever read.
        Assert.Equal(parentHash, await SamplesEndToEndTests.HashAsync(parentDisk));
    }

    [Fact]
    public async Task Unshared_parent_waits_a_cycle_fails_and_per_clone_identity_in_customize_is_refused()
    {
        await using var cluster = await ImprintCluster.StartAsync();

        // Per-clone identity never gets in: the CRD's rules refuse it with the reason.
        foreach (var (field, value, says) in new[]
        {
            ("hostname", (JsonNode)"web", "hostname is per-clone identity"),
            ("sshHostKeys", "Keep", "sshHostKeys: Keep is per-clone identity"),
            ("machineId", "Keep", "machineId: Keep is per-clone identity"),
        })
        {
            var refused = await Assert.ThrowsAsync<KubernetesApiException>(() => cluster.CreateAsync(Derived(Ns, "identity", "base", null, new JsonObject { [field] = value })));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Contains(says, refused.Message, StringComparison.Ordinal);
        }

        var both = Derived(Ns, "both", "base", null, null);
        both["spec"]!["source"]!["pvc"] = new JsonObject { ["name"] = "disk" };
        var twoSources = await Assert.ThrowsAsync<KubernetesApiException>(() => cluster.CreateAsync(both));
        Assert.Contains("set exactly one of source.pvc, source.http or source.goldenImage", twoSources.Message, StringComparison.Ordinal);

        // A parent in another namespace that does not share itself: the child waits and says so (sharing may come later).
        await cluster.CreateAsync(E2eObjects.GoldenImageFromPvc(Ns, "private", "missing-source"));
        await cluster.CreateAsync(Derived(Team, "stray", "private", Ns, null));
        var stray = await cluster.WaitForAsync(() => cluster.GoldenImageAsync("stray", Team), g => g.Status?.Reason == "ParentNotShared", "ParentNotShared");
        Assert.Equal(GoldenImagePhase.Pending, stray.Status!.Phase);
        Assert.Contains($"GoldenImage {Ns}/private does not share itself with namespace {Team}", stray.Status.Message, StringComparison.Ordinal);
        E2eAssert.Condition(stray.Status.Conditions, ConditionTypes.Ready, ConditionStatus.False, "ParentNotShared", stray.Metadata.Generation);

        // Shared now, but not Ready: a different wait.
        await cluster.Client.PatchAsync<V1Alpha1GoldenImage>("private", Ns, new JsonObject { ["spec"] = new JsonObject { ["sharing"] = new JsonObject { ["namespaces"] = new JsonArray(Team) } } });
        var unready = await cluster.WaitForAsync(() => cluster.GoldenImageAsync("stray", Team), g => g.Status?.Reason == "ParentNotReady", "ParentNotReady");
        Assert.Contains($"parent GoldenImage {Ns}/private is Pending", unready.Status!.Message, StringComparison.Ordinal);

        // a -> b -> a: both are refused, naming the loop; nothing ran.
        await cluster.CreateAsync(Derived(Ns, "a", "b", null, null));
        await cluster.CreateAsync(Derived(Ns, "b", "a", null, null));
        var a = await cluster.WaitForGoldenImageAsync("a", Ns, GoldenImagePhase.Failed, 20);
        var b = await cluster.WaitForGoldenImageAsync("b", Ns, GoldenImagePhase.Failed, 20);
        Assert.Equal(("ParentCycle", "ParentCycle"), (a.Status!.Reason, b.Status!.Reason));
        Assert.Contains($"{Ns}/a -> {Ns}/b -> {Ns}/a", a.Status.Message, StringComparison.Ordinal);
        E2eAssert.Condition(a.Status.Conditions, ConditionTypes.Ready, ConditionStatus.False, "ParentCycle", a.Metadata.Generation);
        Assert.Empty(cluster.Simulator.Runs);
        Assert.Empty(cluster.Server.List("imprint.dev/v1alpha1", "vmclones", Ns));
    }

    [Fact]
    public async Task Parent_update_rebuilds_a_following_child_as_a_new_revision_while_the_old_one_serves_and_leaves_the_other_child_alone()
    {
        await using var cluster = await ImprintCluster.StartAsync();
        var parent = await cluster.ReadyGoldenImageAsync(Ns, "base");
        var follow = Derived(Ns, "follow", "base", null, Layer("/etc/layer", "follow\n"));
        follow["spec"]!["updatePolicy"] = new JsonObject { ["followParent"] = true };
        await cluster.CreateAsync(follow);
        await cluster.CreateAsync(Derived(Ns, "stay", "base", null, Layer("/etc/layer", "stay\n")));
        // The parent's next version: its disk plus a marker, sealed as a golden of its own.
        await cluster.CreateAsync(Derived(Ns, "base-next", "base", null, Layer("/etc/parent-version", "2\n")));
        var first = await cluster.WaitForGoldenImageAsync("follow", Ns, GoldenImagePhase.Ready);
        var stay = await cluster.WaitForGoldenImageAsync("stay", Ns, GoldenImagePhase.Ready);
        var next = await cluster.WaitForGoldenImageAsync("base-next", Ns, GoldenImagePhase.Ready);
        var stayRuns = E2eAssert.Runs(cluster, Ns, "stay").Count;

        // The parent gets revision r2 (as its update does: a new claim, digest and fingerprint, made current).
        var r1 = new JsonObject { ["name"] = "r1", ["claim"] = parent.Status!.Pvc!.Name, ["digest"] = parent.Status.Digest, ["ready"] = true };
        var r2 = new JsonObject { ["name"] = "r2", ["claim"] = next.Status!.Pvc!.Name, ["digest"] = next.Status.Digest, ["virtualSize"] = next.Status.VirtualSize, ["ready"] = true };
        await cluster.Client.PatchStatusAsync<V1Alpha1GoldenImage>("base", Ns, new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["currentRevision"] = "r2",
                ["revisions"] = new JsonArray(r1, r2),
                ["pvc"] = new JsonObject { ["name"] = next.Status.Pvc.Name, ["namespace"] = Ns },
                ["digest"] = next.Status.Digest,
                ["fingerprint"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(next.Status.Fingerprint, Imprint.Operator.Apis.ImprintJsonContext.Default.DiskFingerprint)),
            },
        });

        // followParent: revision r2 of "follow" is built from the parent's r2 and made current.
        var rebuilt = await cluster.WaitForAsync(() => cluster.GoldenImageAsync("follow", Ns), g => g.Status?.CurrentRevision == "r2", "follow at revision r2");
        var status = rebuilt.Status!;
        Assert.Equal(("r1", parent.Status.Digest), (first.Status!.Parent![0].Revision, first.Status.Parent[0].Digest));
        Assert.Equal(("base", "r2", next.Status.Digest), (status.Parent![0].Name, status.Parent[0].Revision, status.Parent[0].Digest));
        Assert.Equal([("r1", "follow-golden", first.Status.Digest, true), ("r2", "follow-golden-r2", status.Digest, true)],
            status.Revisions!.Select(r => (r.Name, r.Claim, r.Digest, r.Ready == true)));
        Assert.Equal("follow-golden-r2", status.Pvc!.Name);
        Assert.NotEqual(first.Status.Digest, status.Digest);
        var newDisk = await GuestDisk.RootAsync(cluster.Simulator.DiskPath(Ns, "follow-golden-r2"));
        Assert.Equal("2\n", await newDisk.TryReadTextAsync("/etc/parent-version"));
        Assert.Equal("follow\n", await newDisk.TryReadTextAsync("/etc/layer"));
        var newCheck = await newDisk.CheckAsync();
        Assert.True(newCheck.IsClean, newCheck.Output);
        // The earlier revision's disk is kept, unchanged, and served until the new one was Ready: every status that
        // said a build was under way still named the r1 claim and was Ready.
        Assert.Null(await GuestDisk.ReadTextAsync(cluster.Simulator.DiskPath(Ns, "follow-golden"), "/etc/parent-version"));
        var building = E2eAssert.Statuses(cluster, "GoldenImage", Ns, "follow")
            .Where(s => s["conditions"]!.AsArray().Any(c => (string?)c!["reason"] == "BuildingRevision")).ToList();
        Assert.NotEmpty(building);
        Assert.All(building, s => Assert.Equal(("follow-golden", "Ready", "r1"), ((string?)s["pvc"]!["name"], (string?)s["phase"], (string?)s["currentRevision"])));
        Assert.Contains(E2eAssert.Events(cluster, Ns, "follow"), e => (string?)e["reason"] == "ParentUpdated");
        await cluster.WaitForAsync(() => Task.FromResult(cluster.Server.Get("v1", "persistentvolumeclaims", Ns, "follow-r2-layer") is null ? "" : null), _ => true, "the revision's layer copy removed", 15);

        // A clone now copies revision r2.
        await cluster.CreateAsync(E2eObjects.VmClone(Ns, "web-2", "follow"));
        await cluster.WaitForVmCloneAsync("web-2", Ns, VmClonePhase.Ready);
        Assert.Equal("2\n", await GuestDisk.ReadTextAsync(cluster.Simulator.DiskPath(Ns, "web-2"), "/etc/parent-version"));

        // Without followParent the other child stays on what it was built from: no build, no Job, same digest.
        var still = (await cluster.GoldenImageAsync("stay", Ns))!;
        Assert.Equal(stay.Status!.Digest, still.Status!.Digest);
        Assert.Equal(parent.Status.Digest, still.Status.Parent![0].Digest);
        Assert.Equal(("r1", 1), (still.Status.CurrentRevision, still.Status.Revisions!.Count));
        Assert.Equal(stayRuns, E2eAssert.Runs(cluster, Ns, "stay").Count);
    }

    private static JsonObject Layer(string path, string content) => new()
    {
        ["files"] = new JsonArray(new JsonObject { ["path"] = path, ["content"] = content }),
    };

    /// <summary>A GoldenImage built on <paramref name="parent"/> with <paramref name="customize"/>.</summary>
    private static JsonObject Derived(string ns, string name, string parent, string? parentNamespace, JsonObject? customize, string? sharing = null)
    {
        var reference = new JsonObject { ["name"] = parent };
        if (parentNamespace is not null)
        {
            reference["namespace"] = parentNamespace;
        }

        var spec = new JsonObject { ["source"] = new JsonObject { ["goldenImage"] = reference } };
        if (customize is not null)
        {
            spec["customize"] = customize;
        }

        if (sharing is not null)
        {
            spec["sharing"] = new JsonObject { ["namespaces"] = new JsonArray(sharing) };
        }

        return new JsonObject
        {
            ["apiVersion"] = "imprint.dev/v1alpha1",
            ["kind"] = "GoldenImage",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        };
    }
}
