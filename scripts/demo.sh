#!/usr/bin/env bash
# make demo: the main job on the embedded default, no cluster. A sample Debian-like guest disk (or IMAGE) becomes a
# sealed golden image; a clone of it is customized and grown; both are inspected and checked with the real tools.
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-}
export PATH="$PATH:/usr/sbin:/sbin"
demo=.demo
rm -rf "$demo" && mkdir -p "$demo"

echo "== building imprint"
dotnet publish src/Agent -c Release -r linux-x64 -o "$demo/bin" -nologo -v quiet >/dev/null
imprint() { "$demo/bin/imprint" "$@"; }

golden=$demo/golden.raw
if [ -n "$image" ]; then
  echo "== importing $image (converted to raw; your file is never written)"
  imprint convert "$image" "$golden"
else
  echo "== building a sample Debian-like guest disk (256 MiB GPT: BIOS boot + ext4 root), no root needed"
  scripts/make-sample-disk.sh "$golden" 256
fi

echo; echo "== golden: inspect"
imprint inspect "$golden"

echo; echo "== golden: seal (virt-sysprep's Linux defaults, offline)"
imprint seal "$golden"

cat > "$demo/customize.yaml" <<'YAML'
hostname: web-01
hosts:
  - ip: 10.0.0.10
    hostnames: [db.internal]
dns:
  nameservers: [10.0.0.2, 1.1.1.1]
  searches: [internal]
timezone: Europe/Berlin
users:
  - name: debian
    sshAuthorizedKeys:
      - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl demo@imprint
rootPassword:
  file: root-password            # relative paths start at this spec file's folder
sshHostKeys: Regenerate
machineId: Regenerate
firstBootCommands:
  - echo "first boot of $(hostname)" > /var/log/imprint-demo.log
YAML
printf 'demo-password' > "$demo/root-password"

echo; echo "== clone: copy (sparse) + customize + grow to 1 GiB"
imprint clone "$golden" "$demo/clone.raw" --size 1G --spec "$demo/customize.yaml"

echo; echo "== clone: inspect"
imprint inspect "$demo/clone.raw"

offset=$(sfdisk --json "$demo/clone.raw" | python3 -c 'import json,sys; t=json.load(sys.stdin)["partitiontable"]; print(t["partitions"][-1]["start"]*t.get("sectorsize",512))')
echo; echo "== checks by the real tools"
echo "-- sgdisk -v:"; sgdisk -v "$demo/clone.raw" | sed -n '1,3p'
echo "-- e2fsck -fn:"; e2fsck -fn "$demo/clone.raw?offset=$offset" 2>&1 | tail -1
echo "-- /etc/hostname: $(debugfs -R 'cat /etc/hostname' "$demo/clone.raw?offset=$offset" 2>/dev/null)"
echo "-- /etc/machine-id: $(debugfs -R 'cat /etc/machine-id' "$demo/clone.raw?offset=$offset" 2>/dev/null)"
echo "-- golden /etc/machine-id (sealed, empty): '$(debugfs -R 'cat /etc/machine-id' "$golden?offset=$offset" 2>/dev/null)'"
echo "-- host keys in the clone:"
for t in rsa ecdsa ed25519; do
  debugfs -R "cat /etc/ssh/ssh_host_${t}_key.pub" "$demo/clone.raw?offset=$offset" 2>/dev/null > "$demo/$t.pub" || true
  [ -s "$demo/$t.pub" ] && ssh-keygen -lf "$demo/$t.pub"
done
echo; echo "demo files are in $demo/"
