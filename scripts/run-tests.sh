#!/usr/bin/env bash
# Runs every test project and ends with the plain line "N passed, N failed" summed from the TRX results.
set -uo pipefail
config=${1:-Release}
cd "$(dirname "$0")/.."
results=TestResults
rm -rf "$results"
dotnet build Operator.sln -c "$config" -warnaserror -v quiet -nologo || { echo "0 passed, 1 failed"; exit 1; }
# The engine contract on the appliance (one launch, ~1-3 min under TCG) runs in make test-guests instead.
dotnet test Operator.sln -c "$config" --no-build --filter "FullyQualifiedName!~Imprint.Agent.Tests.Appliance.ApplianceGuestFileSystemContractTests" --logger "trx" --results-directory "$results" -v quiet -nologo
status=$?
passed=0; failed=0; skipped=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
if [ "$failed" -gt 0 ]; then
  # CI keeps the tail of the output: each failed test's name and the start of its message go just above the count.
  echo "== failed tests (first 30 lines of each message)"
  for trx in "$results"/*.trx; do
    awk '
      function unescape(t) { gsub(/&#xD;/, "", t); gsub(/&lt;/, "<", t); gsub(/&gt;/, ">", t); gsub(/&quot;/, "\"", t); gsub(/&apos;/, "\047", t); gsub(/&amp;/, "\\&", t); return t }
      /<UnitTestResult / { failedTest = ($0 ~ /outcome="Failed"/); if (failedTest) { match($0, /testName="[^"]*"/); print "--- " unescape(substr($0, RSTART + 10, RLENGTH - 11)); lines = 0 } }
      failedTest && /<Message>/ { inMessage = 1; sub(/.*<Message>/, "") }
      failedTest && inMessage { end = sub(/<\/Message>.*/, ""); if (lines++ < 30) print "    " unescape($0); if (end) { inMessage = 0; failedTest = 0 } }
    ' "$trx"
  done
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
