#!/usr/bin/env bash
# Builds a small Debian-like guest disk without root: a root tree → mke2fs -d at an offset → a GPT disk with a
# BIOS-boot partition (1) and the root partition (2). Usage: make-sample-disk.sh OUT.raw [SIZE_MiB] [DATA_MiB]
# DATA_MiB adds that much incompressible data under /var/lib/sample (for benchmarks).
set -euo pipefail
out=${1:?usage: make-sample-disk.sh OUT.raw [SIZE_MiB] [DATA_MiB]}
size_mib=${2:-256}
data_mib=${3:-0}
export PATH="$PATH:/usr/sbin:/sbin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{var/lib/dpkg,etc/ssh,etc/network,etc/apt,etc/systemd/system/multi-user.target.wants,var/log/apt,var/lib/dhcp,var/cache/apt/archives,var/tmp,tmp,root,home/debian/.ssh,usr/bin,usr/lib/systemd,usr/share/zoneinfo/Europe,usr/share/zoneinfo/Etc,bin,sbin,boot,dev,proc,sys,run}
cat > "$root/etc/os-release" <<'OS'
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
OS
echo "12.8" > "$root/etc/debian_version"
printf "Package: base-files\nStatus: install ok installed\n" > "$root/var/lib/dpkg/status"
echo "golden" > "$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tgolden\n\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$root/etc/hosts"
printf 'root:x:0:0:root:/root:/bin/bash\ndebian:x:1000:1000:Debian:/home/debian:/bin/bash\n' > "$root/etc/passwd"
printf 'root:x:0:\ndebian:x:1000:\n' > "$root/etc/group"
printf 'root:*:19000:0:99999:7:::\ndebian:!:19000:0:99999:7:::\n' > "$root/etc/shadow"; chmod 640 "$root/etc/shadow"
printf 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet dhcp\n' > "$root/etc/network/interfaces"
echo "nameserver 10.0.2.3" > "$root/etc/resolv.conf"
echo "5f3c1d2e4b6a798812345678abcdef01" > "$root/etc/machine-id"
echo "Etc/UTC" > "$root/etc/timezone"
# Zones are files starting with the TZif magic (customize refuses anything else); UTC -> Etc/UTC as in tzdata.
printf 'TZif2 UTC sample\n' > "$root/usr/share/zoneinfo/Etc/UTC"
ln -s Etc/UTC "$root/usr/share/zoneinfo/UTC"
printf 'TZif2 Europe/Berlin sample\n' > "$root/usr/share/zoneinfo/Europe/Berlin"
printf 'TZif2 UTC sample\n' > "$root/usr/share/zoneinfo/Etc-UTC"
ln -s /usr/share/zoneinfo/Etc-UTC "$root/etc/localtime"
printf 'ELF' > "$root/usr/lib/systemd/systemd"
ln -s /usr/lib/systemd/systemd "$root/sbin/init"
# /bin/sh: a real x86-64 ELF header so inspection can read the architecture.
printf '\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x3e\x00\x01\x00\x00\x00' > "$root/usr/bin/dash"
ln -s /usr/bin/dash "$root/bin/sh"
for t in rsa ecdsa ed25519; do
  echo "FAKE PRIVATE KEY of the golden image" > "$root/etc/ssh/ssh_host_${t}_key"; chmod 600 "$root/etc/ssh/ssh_host_${t}_key"
  echo "ssh-$t AAAAgolden golden" > "$root/etc/ssh/ssh_host_${t}_key.pub"
done
echo "Jan  1 00:00:00 golden kernel: boot" > "$root/var/log/syslog"
echo "Start-Date: 2024-01-01" > "$root/var/log/apt/history.log"
echo "lease { interface \"eth0\"; fixed-address 10.0.2.15; }" > "$root/var/lib/dhcp/dhclient.eth0.leases"
echo "fake package" > "$root/var/cache/apt/archives/sample_1.0_amd64.deb"
echo "ls -la" > "$root/root/.bash_history"
echo "sudo reboot" > "$root/home/debian/.bash_history"
echo "tmpfile" > "$root/tmp/build.log"
if [ "$data_mib" -gt 0 ]; then
  mkdir -p "$root/var/lib/sample"
  head -c $((data_mib * 1024 * 1024)) /dev/urandom > "$root/var/lib/sample/data.bin"
fi
rm -f "$out"
truncate -s "${size_mib}M" "$out"
sgdisk -n1:2048:+1M -t1:ef02 -c1:bios -n2:0:0 -t2:8300 -c2:root "$out" >/dev/null
start=$(sgdisk -i2 "$out" | sed -n 's/^First sector: \([0-9]*\).*/\1/p')
end=$(sgdisk -i2 "$out" | sed -n 's/^Last sector: \([0-9]*\).*/\1/p')
offset=$((start * 512))
length_k=$(((end - start + 1) * 512 / 1024))
# The files belong to root in the guest whoever builds the image (-E root_owner).
mke2fs -q -F -t ext4 -L rootfs -E offset=$offset,root_owner=0:0 -d "$root" "$out" "${length_k}k"
# Home directory belongs to the guest user (uid 1000), as on a real system.
debugfs -w -R "sif /home/debian uid 1000" "$out?offset=$offset" >/dev/null 2>&1
debugfs -w -R "sif /home/debian gid 1000" "$out?offset=$offset" >/dev/null 2>&1
echo "$out: ${size_mib} MiB GPT disk, root ext4 at byte $offset"
