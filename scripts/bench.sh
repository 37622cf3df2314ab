#!/usr/bin/env bash
# make bench: speed and memory of the agent against baselines measured in the same run (never timed unit tests).
#   1. clone copy throughput vs `cp --sparse=always` of the same 2 GiB image holding ~700 MiB (ratio; goal >= 0.9)
#   2. grow time (partition + e2fsck + resize2fs) to 8 GiB (goal <= 2 s)
#   3. peak RSS of `imprint clone` at 2 GiB and at 32 GiB (goal <= 150 MiB, flat)
#   4. seal + customize edit time on the same image (goal <= 150 ms); virt-customize ratio when libguestfs is present
#   5. controller loop: time until a trivial reconciler has seen 1,000 custom objects, API calls per object, peak RSS
#   6. xfs guest through the libguestfs engine vs virt-resize + virt-sysprep + virt-customize (scripts/bench-guests.sh;
#      minutes under TCG; BENCH_GUESTS=0 skips it)
#   8. apply -> Ready for 5 GoldenImages and 20 VmClones through the node simulator and the real agent, one Job per
#      step vs one Job per disk (goal: Jobs per clone 1, was 3); Jobs, pods and API requests per object
#      (tests/Operator.Tests ApplyToReadyBenchmark; BENCH_APPLY=0 skips it)
#   7. operator steady state: the whole operator restarted over 1,000 Ready GoldenImages: API calls per object besides
#      its lists and watches (goal <= 1.0), watch streams (goal: one per kind), peak RSS (goal <= 250 MiB)
#   8. `imprint digest` of the 2 GiB image vs `sha256sum` of the same file (same output by definition): throughput over
#      the allocated bytes, ratio goal >= 0.9; the digest reads only data extents (holes are hashed as zeros unread)
# Results are printed and written to .bench/results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/sbin:/sbin"
runs=${BENCH_RUNS:-3}
dir=.bench
rm -rf "$dir" && mkdir -p "$dir"
command -v /usr/bin/time >/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -qq time >/dev/null; }

echo "== building imprint (Release)"
dotnet publish src/Agent -c Release -r linux-x64 -o "$dir/bin" -nologo -v quiet >/dev/null
imprint=$dir/bin/imprint

echo "== making a 2 GiB guest disk holding ~700 MiB"
scripts/make-sample-disk.sh "$dir/golden.raw" 2048 700 >/dev/null
cp --sparse=always "$dir/golden.raw" "$dir/warm.raw" && rm -f "$dir/warm.raw"   # page cache warm for both sides

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now_ms() { date +%s%3N; }

: > "$dir/cp.ms"; : > "$dir/copy.ms"; : > "$dir/grow.ms"; : > "$dir/rss2.kb"
for i in $(seq "$runs"); do
  rm -f "$dir/cp.raw" "$dir/clone.raw"
  t0=$(now_ms); cp --sparse=always "$dir/golden.raw" "$dir/cp.raw"; sync -f "$dir/cp.raw"; t1=$(now_ms)
  echo $((t1 - t0)) >> "$dir/cp.ms"
  /usr/bin/time -f "%M" -o "$dir/rss.tmp" "$imprint" clone "$dir/golden.raw" "$dir/clone.raw" --size 8G --json > "$dir/clone.json"
  cat "$dir/rss.tmp" >> "$dir/rss2.kb"
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["copy"]["durationMs"]); print(r["resize"]["durationMs"], file=open(sys.argv[2],"a"))' "$dir/clone.json" "$dir/grow.ms" >> "$dir/copy.ms"
done
rm -f "$dir/cp.raw"

echo "== digest vs sha256sum of the same 2 GiB image (page cache warm for both)"
: > "$dir/sha.ms"; : > "$dir/digest.ms"
for i in $(seq "$runs"); do
  t0=$(now_ms); sha=$(sha256sum "$dir/golden.raw" | cut -d' ' -f1); t1=$(now_ms)
  echo $((t1 - t0)) >> "$dir/sha.ms"
  t0=$(now_ms); "$imprint" digest "$dir/golden.raw" --json > "$dir/digest.json"; t1=$(now_ms)
  echo $((t1 - t0)) >> "$dir/digest.ms"
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["digest"]["digest"]; sys.exit(0 if d == "sha256:" + sys.argv[2] else "digest " + d + " != sha256sum " + sys.argv[2])' "$dir/digest.json" "$sha"
done

echo "== 32 GiB image with the same data (sparse)"
cp --sparse=always "$dir/golden.raw" "$dir/golden32.raw"
truncate -s 32G "$dir/golden32.raw"
sgdisk -e "$dir/golden32.raw" >/dev/null 2>&1
rm -f "$dir/clone32.raw"
/usr/bin/time -f "%M" -o "$dir/rss32.kb" "$imprint" clone "$dir/golden32.raw" "$dir/clone32.raw" --size 33G --json > "$dir/clone32.json"
rm -f "$dir/clone32.raw" "$dir/golden32.raw"

echo "== seal + customize (edit time) on the 2 GiB image"
cat > "$dir/spec.yaml" <<'YAML'
hostname: bench-01
dns:
  nameservers: [10.0.0.2]
timezone: UTC
sshHostKeys: Keep
machineId: Regenerate
YAML
: > "$dir/edit.ms"; : > "$dir/cli.ms"
for i in $(seq "$runs"); do
  rm -f "$dir/edit.raw"; cp --sparse=always "$dir/clone.raw" "$dir/edit.raw"; sync -f "$dir/edit.raw"
  t0=$(now_ms)
  "$imprint" seal "$dir/edit.raw" --json > "$dir/seal.json"
  "$imprint" customize "$dir/edit.raw" --spec "$dir/spec.yaml" --json > "$dir/customize.json"
  t1=$(now_ms); echo $((t1 - t0)) >> "$dir/cli.ms"
  python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); print(a["durationMs"]+b["durationMs"])' "$dir/seal.json" "$dir/customize.json" >> "$dir/edit.ms"
done
echo "== in-process edit time (inspect + seal + customize; one cold run, then warm runs)"
# Published like the agent image (self-contained, composite ReadyToRun: the csproj sets it), so the cold run pays
# what an agent Job pays.
dotnet publish bench/Imprint.Bench -c Release -r linux-x64 -o "$dir/engine" -nologo -v quiet >/dev/null
"$dir/engine/Imprint.Bench" "$dir/golden.raw" "$dir/spec.yaml" "$((runs + 2))" > "$dir/engine.json"
virt=""
if command -v virt-customize >/dev/null 2>&1; then
  t0=$(now_ms); virt-customize -a "$dir/edit.raw" --hostname bench-01 --timezone UTC >/dev/null 2>&1 || true; t1=$(now_ms)
  virt=$((t1 - t0))
fi

echo "== controller loop: 1000 GoldenImages in the fake API server, trivial reconciler, our HTTP client"
dotnet build bench/Imprint.Operator.Bench -c Release -nologo -v quiet >/dev/null
bench/Imprint.Operator.Bench/bin/Release/net10.0/Imprint.Operator.Bench 1000 loop > "$dir/operator.json"
cat "$dir/operator.json"
echo "== operator steady state: the whole operator restarted over 1000 Ready GoldenImages"
bench/Imprint.Operator.Bench/bin/Release/net10.0/Imprint.Operator.Bench 1000 operator > "$dir/steady.json"
cat "$dir/steady.json"

if [ "${BENCH_APPLY:-1}" != 0 ]; then
  echo "== apply -> Ready: 5 GoldenImages + 20 VmClones, one Job per step vs one Job per disk (node simulator, real agent)"
  dotnet build tests/Operator.Tests -c Release -nologo -v quiet >/dev/null
  IMPRINT_BENCH=1 IMPRINT_BENCH_OUT="$PWD/$dir/apply.json" dotnet test tests/Operator.Tests -c Release --no-build \
    --filter "FullyQualifiedName~ApplyToReadyBenchmark" >/dev/null || echo "apply -> Ready bench failed"
  [ -f "$dir/apply.json" ] && python3 - <<'PY'
import json
for m in json.load(open(".bench/apply.json")):
    for kind in ("goldens", "clones"):
        r = m[kind]
        print(f"apply     {m['mode']:<17} {r['objects']:>2} {kind:<7} Ready in {r['allReadyMs']/1000:5.1f} s; {r['jobsPerObject']:.2f} Jobs, {r['podsPerObject']:.2f} pods, {r['apiRequestsPerObject']} operator API requests per object (load {m['loadAverageAtStart']})")
PY
fi

cp_ms=$(median < "$dir/cp.ms"); copy_ms=$(median < "$dir/copy.ms"); grow_ms=$(median < "$dir/grow.ms")
rss2=$(median < "$dir/rss2.kb"); rss32=$(cat "$dir/rss32.kb"); edit_ms=$(median < "$dir/edit.ms"); cli_ms=$(median < "$dir/cli.ms")
sha_ms=$(median < "$dir/sha.ms"); digest_ms=$(median < "$dir/digest.ms"); load=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$cp_ms" "$copy_ms" "$grow_ms" "$rss2" "$rss32" "$edit_ms" "${virt:-}" "$runs" "$cli_ms" "$sha_ms" "$digest_ms" "$load" <<'PY' | tee "$dir/results.txt"
import json, sys
engine = json.load(open(".bench/engine.json"))
operator = json.load(open(".bench/operator.json"))
steady = json.load(open(".bench/steady.json"))
cp, copy, grow, rss2, rss32, edit = (float(x) for x in sys.argv[1:7])
virt = float(sys.argv[7]) if sys.argv[7] else None
runs = int(sys.argv[8])
cli_wall = float(sys.argv[9])
sha_ms, digest_ms, load = float(sys.argv[10]), float(sys.argv[11]), sys.argv[12]
dg = json.load(open(".bench/digest.json"))["digest"]
allocated_mib = dg["dataBytesRead"] / 1048576
ratio = cp / copy if copy else float("inf")
res = {
  "runs": runs,
  "copy": {"cp_sparse_ms": cp, "imprint_copy_ms": copy, "throughput_ratio_vs_cp": round(ratio, 3), "goal": ">= 0.9"},
  "grow": {"ms": grow, "goal": "<= 2000"},
  "peak_rss_mib": {"2GiB": round(rss2 / 1024, 1), "32GiB": round(rss32 / 1024, 1), "goal": "<= 150, flat"},
  "seal_plus_customize_ms": {"cli_ms": edit, "cli_wall_ms": cli_wall, "engine_cold_ms": engine["coldMs"], "engine_warm_ms": engine["warmMedianMs"],
                             "edit_cold_ms": engine["editColdMs"], "edit_warm_ms": engine["editWarmMedianMs"],
                             "goal": "<= 150", "virt_customize_ms": virt,
                             "ratio": round(virt / edit, 1) if virt else None,
                             "goal_met_cold": engine["editColdMs"] <= 150, "goal_met_warm": engine["editWarmMedianMs"] <= 150,
                             "cold_breakdown": engine["cold"], "warm_breakdown": engine["warm"]},
}
res["digest"] = {"sha256sum_ms": sha_ms, "imprint_digest_ms": digest_ms, "disk_mib": dg["diskSize"] / 1048576, "allocated_mib": round(allocated_mib, 1),
                 "sha256sum_allocated_mib_s": round(allocated_mib / (sha_ms / 1000), 1), "digest_allocated_mib_s": round(allocated_mib / (digest_ms / 1000), 1),
                 "ratio_vs_sha256sum": round(sha_ms / digest_ms, 3), "goal": ">= 0.9", "load_average": load}
res["controller"] = operator
import os
if os.path.exists(".bench/apply.json"):
    res["apply_to_ready"] = json.load(open(".bench/apply.json"))
res["operator_steady_state"] = dict(steady, goal={"apiRequestsPerObjectBesidesListAndWatch": "<= 1.0", "watchStreams": "one per kind (5)", "peakRssMiB": "<= 250"})
json.dump(res, open(".bench/results.json", "w"), indent=2)
print(f"copy      imprint {copy:.0f} ms vs cp --sparse=always {cp:.0f} ms  → throughput ratio {ratio:.2f} (goal ≥ 0.9)")
print(f"grow      {grow:.0f} ms (partition + e2fsck + resize2fs; goal ≤ 2000 ms)")
print(f"peak RSS  {rss2/1024:.1f} MiB at 2 GiB, {rss32/1024:.1f} MiB at 32 GiB (goal ≤ 150 MiB, flat)")
met = lambda ms: "met" if ms <= 150 else "NOT met"
c = engine["cold"]
print(f"edit      seal + customize: {engine['editColdMs']} ms cold ({met(engine['editColdMs'])}), {engine['editWarmMedianMs']} ms warm ({met(engine['editWarmMedianMs'])}) in process (goal ≤ 150 ms); with inspection {engine['coldMs']} / {engine['warmMedianMs']} ms; CLI {edit:.0f} ms by its own clocks, {cli_wall:.0f} ms wall (two processes, each inspecting)" + (f"; virt-customize {virt:.0f} ms → {virt/edit:.0f}×" if virt else "; virt-customize not installed, no ratio"))
print(f"          cold run: spec parse {c['specMs']:.0f} ms (not in edit time), inspect {c['inspectMs']:.0f}, seal {c['sealMs']:.0f}, customize {c['customizeMs']:.0f} ms; {c['toolRuns']} tool processes, {c['debugfsRounds']} debugfs rounds, {c['toolWallMs']:.0f} ms waiting on tools; JIT {c['jitMs']:.0f} ms for {c['methodsJitted']} methods ({c['editJitMs']:.0f} ms / {c['editMethodsJitted']} in the edit)")
print(f"digest    imprint {digest_ms:.0f} ms vs sha256sum {sha_ms:.0f} ms on {dg['diskSize']/1048576:.0f} MiB ({allocated_mib:.0f} MiB allocated): {allocated_mib/(digest_ms/1000):.0f} vs {allocated_mib/(sha_ms/1000):.0f} MiB/s over the allocated bytes → ratio {sha_ms/digest_ms:.2f} (goal ≥ 0.9; load {load})")
print(f"operator  {operator['objects']} objects reconciled in {operator['allReconciledMs']} ms, {operator['apiRequestsPerObject']} API calls per object, {operator['watchStreams']} watch stream(s), peak RSS {operator['peakRssMiB']} MiB (fake API server in the same process)")
print(f"steady    whole operator restarted over {steady['objects']} Ready GoldenImages: reconciled in {steady['allReconciledMs']} ms, {steady['apiRequestsPerObjectBesidesListAndWatch']} API calls per object besides {steady['lists']} lists (goal ≤ 1.0; {steady['gets']} GETs, {steady['writes']} writes), {steady['watchStreams']} watch streams {steady['watchStreamsByResource']}, peak RSS {steady['peakRssMiB']} MiB (goal ≤ 250)")
print(f"(median of {runs} runs; raw numbers in .bench/)")
PY

if [ "${BENCH_GUESTS:-1}" != 0 ] && command -v guestfish >/dev/null 2>&1; then
  echo "== xfs guest: imprint (libguestfs engine) vs virt-resize + virt-sysprep + virt-customize"
  IMPRINT="$PWD/$imprint" scripts/bench-guests.sh || echo "guest bench failed (see .bench/guests)"
fi
