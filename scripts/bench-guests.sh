#!/usr/bin/env bash
# make bench, guest part: seal + customize + grow of the Rocky-like xfs guest (GPT: EFI, /boot xfs, root xfs; built by
# the tests' own builder, one guestfish launch) through `imprint` against virt-resize + virt-sysprep + virt-customize on
# the same golden image, in the same run. Both pipelines start from the golden image and end with a grown (3 GiB),
# sealed and customized copy: ours as one command (one appliance launch), and as three commands for comparison. Prints the ratio (goal >= 5x) and the peak RSS of the agent process (goal <= 150 MiB)
# with the appliance's qemu counted separately. Writes .bench/guests/results.json.
#   BENCH_GUESTS_BASELINE=0 skips the virt-* side (it takes minutes under TCG).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/sbin:/sbin"
export LIBGUESTFS_BACKEND=direct
# KVM is probed, never assumed: without a usable /dev/kvm qemu must be told to use TCG or it hangs here.
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then unset LIBGUESTFS_BACKEND_SETTINGS; else export LIBGUESTFS_BACKEND_SETTINGS=force_tcg; fi
dir=.bench/guests
# Without the baseline, the last run's virt-* numbers stay for the ratio (they take minutes under TCG).
if [ "${BENCH_GUESTS_BASELINE:-1}" != 0 ]; then rm -rf "$dir"; else rm -f "$dir"/ours-* "$dir"/steps-*; fi
mkdir -p "$dir"
size=3G

# make bench publishes the agent as the image does (.bench/bin); alone, the Release build serves (IMPRINT= overrides).
imprint=${IMPRINT:-.bench/bin/imprint}
if [ ! -x "$imprint" ]; then
  dotnet build src/Agent -c Release -nologo -v quiet >/dev/null
  imprint=src/Agent/bin/Release/net10.0/imprint
fi

echo "== building the Rocky-like xfs guest (tests' builder, one appliance launch)"
if [ ! -f "$dir/cache/RockyXfs.raw" ]; then
  dotnet build tests/Agent.Tests -c Release -warnaserror -nologo -v quiet >/dev/null
  IMPRINT_GUEST_TESTS=1 IMPRINT_TEST_GUESTS_DIR="$PWD/$dir/cache" dotnet test tests/Agent.Tests -c Release --no-build -nologo -v quiet \
    --filter "FullyQualifiedName~TestGuestBuilderTests&DisplayName~RockyXfs" >"$dir/build.log" 2>&1 || { cat "$dir/build.log"; exit 1; }
fi
golden=$dir/cache/RockyXfs.raw
rm -f "$dir/id" "$dir/id.pub" && ssh-keygen -q -t ed25519 -N "" -C bench@imprint -f "$dir/id"
printf 'bench-password\n' > "$dir/root-password"
cat > "$dir/spec.yaml" <<YAML
hostname: bench-01
timezone: Europe/Berlin
dns: { nameservers: [10.0.0.2], searches: [example.internal] }
rootPassword: { file: $PWD/$dir/root-password }
users: [{ name: cloud, sshAuthorizedKeysFile: $PWD/$dir/id.pub, groups: [wheel] }]
files: [{ path: /etc/motd, content: "bench clone\n", mode: "0644" }]
firstBootCommands: ["echo first boot > /var/log/imprint-firstboot.log"]
YAML

measure() { local out=$1; shift; python3 scripts/peak-rss.py "$@" > "$dir/$out.json" 2>"$dir/$out.log" || true; cat "$dir/$out.json"; }

if [ "${BENCH_GUESTS_BASELINE:-1}" != 0 ] && command -v virt-resize >/dev/null; then
  echo "== libguestfs tools: virt-resize --expand, virt-sysprep, virt-customize (same golden image, same edits)"
  truncate -s "$size" "$dir/virt.raw"
  measure virt-resize virt-resize --format raw --output-format raw --expand /dev/sda3 "$golden" "$dir/virt.raw"
  measure virt-sysprep virt-sysprep --format raw -a "$dir/virt.raw"
  measure virt-customize virt-customize --format raw -a "$dir/virt.raw" --hostname bench-01 --timezone Europe/Berlin \
    --write /etc/resolv.conf:"nameserver 10.0.0.2
search example.internal
" --root-password file:"$dir/root-password" --ssh-inject rocky:file:"$dir/id.pub" --write /etc/motd:"bench clone
" --firstboot-command "echo first boot > /var/log/imprint-firstboot.log"
fi

echo "== imprint: one command, one appliance launch: clone --size $size --seal --spec (grow, seal, customize)"
measure ours-clone "$imprint" clone "$golden" "$dir/ours.raw" --size "$size" --seal --spec "$dir/spec.yaml" --json
echo "== imprint: three commands, three launches: clone --size $size, seal, customize (for comparison)"
measure steps-clone "$imprint" clone "$golden" "$dir/steps.raw" --size "$size" --json
measure steps-seal "$imprint" seal "$dir/steps.raw" --json
measure steps-customize "$imprint" customize "$dir/steps.raw" --spec "$dir/spec.yaml" --json

python3 - "$dir" <<'PY' | tee "$dir/results.txt"
import json, os, sys
d = sys.argv[1]
def load(name):
    p = os.path.join(d, name + ".json")
    return json.load(open(p)) if os.path.exists(p) and os.path.getsize(p) else None
ours = {"clone --seal --spec": load("ours-clone")}
steps = {k: load("steps-" + k) for k in ("clone", "seal", "customize")}
virt = {k: load("virt-" + k) for k in ("resize", "sysprep", "customize")}
ours_ok = all(v and v["exit"] == 0 for v in ours.values())
steps_ok = all(v and v["exit"] == 0 for v in steps.values())
virt_ok = all(v and v["exit"] == 0 for v in virt.values())
ours_ms = sum(v["wallMs"] for v in ours.values() if v)
steps_ms = sum(v["wallMs"] for v in steps.values() if v)
virt_ms = sum(v["wallMs"] for v in virt.values() if v)
load_avg = os.getloadavg()[0]
res = {"image": "Rocky-like xfs, GPT, 1 GiB -> 3 GiB", "imprint": ours, "imprintOk": ours_ok, "imprintMs": ours_ms,
       "imprintThreeCommands": steps, "imprintThreeCommandsMs": steps_ms,
       "virt": virt, "virtOk": virt_ok, "virtMs": virt_ms,
       "ratio": round(virt_ms / ours_ms, 1) if ours_ok and virt_ok and ours_ms else None, "goalRatio": ">= 5",
       "ratioThreeCommands": round(virt_ms / steps_ms, 1) if steps_ok and virt_ok and steps_ms else None,
       "agentPeakRssMiB": max((v["mainPeakMiB"] for v in [*ours.values(), *steps.values()] if v), default=None), "goalAgentRssMiB": "<= 150",
       "applianceQemuPeakMiB": max((v["qemuPeakMiB"] for v in [*ours.values(), *steps.values()] if v), default=None),
       "loadAverageAtEnd": round(load_avg, 1)}
json.dump(res, open(os.path.join(d, "results.json"), "w"), indent=2)
def row(name, v): return f"  {name:<26} {'exit ' + str(v['exit']) if v else 'not run':<8} {v['wallMs'] if v else 0:>8} ms  main {v['mainPeakMiB'] if v else 0:>6} MiB  qemu {v['qemuPeakMiB'] if v else 0:>6} MiB"
print("xfs guest (Rocky-like, GPT, grow 1 GiB -> 3 GiB), seal + customize + grow:")
for k, v in ours.items(): print(row("imprint " + k, v))
for k, v in steps.items(): print(row("imprint " + k + " (3 cmds)", v))
for k, v in virt.items(): print(row("virt-" + k, v))
print(f"  imprint {ours_ms} ms{'' if ours_ok else ' (FAILED: see .bench/guests/ours-*.log)'} vs libguestfs tools {virt_ms} ms{'' if virt_ok else ' (incomplete)'}"
      + (f" -> {res['ratio']}x (goal >= 5x)" if res["ratio"] else " -> no ratio"))
print(f"  imprint as three commands {steps_ms} ms" + (f" -> {res['ratioThreeCommands']}x" if res["ratioThreeCommands"] else " -> no ratio") + f"; load average {res['loadAverageAtEnd']}")
print(f"  agent peak RSS {res['agentPeakRssMiB']} MiB (goal <= 150), appliance qemu {res['applianceQemuPeakMiB']} MiB counted separately")
PY
