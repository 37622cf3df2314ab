# The imprint agent: the CLI plus exactly the Debian tools it calls (see src/Agent/Tools/ExternalTools.cs; a test
# keeps this list in sync). Runs as a non-root user; Jobs add fsGroup so it can write the PVC.
FROM mcr.microsoft.com/dotnet/sdk:10.0-bookworm-slim AS build
WORKDIR /src
COPY Directory.Build.props .editorconfig ./
COPY src/Agent/ src/Agent/
RUN dotnet publish src/Agent -c Release -r linux-x64 -o /out

# Self-contained (composite ReadyToRun, set in the csproj), so only the runtime's native dependencies are needed.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends e2fsprogs qemu-utils openssh-client xz-utils dash \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 65532 --user-group --no-create-home --shell /usr/sbin/nologin imprint
COPY --from=build /out /opt/imprint
ENV PATH="/opt/imprint:${PATH}" DOTNET_CLI_TELEMETRY_OPTOUT=1
USER 65532:65532
ENTRYPOINT ["/opt/imprint/imprint"]
