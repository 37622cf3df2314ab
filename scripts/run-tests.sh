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
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
