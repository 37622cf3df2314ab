# The imprint agent: the CLI plus exactly the Debian tools it calls (see src/Agent/Tools/ExternalTools.cs; a test
# keeps this list in sync). Runs as a non-root user; Jobs add fsGroup so it can write the PVC.
FROM mcr.microsoft.com/dotnet/sdk:10.0-bookworm-slim AS build
WORKDIR /src
COPY Directory.Build.props .editorconfig ./
COPY src/Agent/ src/Agent/
RUN dotnet publish src/Agent -c Release -r linux-x64 -o /out

# Self-contained (composite ReadyToRun, set in the csproj), so only the runtime's native dependencies are needed.
# libguestfs0 + libguestfs-xfs + a kernel: the appliance VM that parses xfs, btrfs and LVM guests (ext guests never
# start it). supermin (a libguestfs0 dependency) assembles the appliance from these packages at the first launch of
# each Job into LIBGUESTFS_CACHEDIR, the Job's writable /tmp; Debian's kernel is 0600, made readable for that since
# the agent is not root. The VM runs as the agent's own process: no privileges, no host mounts; /dev/kvm only when the
# Job was given it (chart value agent.kvm), else TCG — the agent probes /dev/kvm itself.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends e2fsprogs qemu-utils openssh-client xz-utils dash libguestfs0 libguestfs-xfs linux-image-amd64 \
 && rm -rf /var/lib/apt/lists/* \
 && chmod 0644 /boot/vmlinuz-* \
 && useradd --uid 65532 --user-group --no-create-home --shell /usr/sbin/nologin imprint
COPY --from=build /out /opt/imprint
ENV PATH="/opt/imprint:${PATH}" DOTNET_CLI_TELEMETRY_OPTOUT=1 LIBGUESTFS_CACHEDIR=/tmp
USER 65532:65532
ENTRYPOINT ["/opt/imprint/imprint"]
