# The imprint operator: an ASP.NET Core host (health endpoints, metrics) running the controllers; non-root.
FROM mcr.microsoft.com/dotnet/sdk:10.0-bookworm-slim AS build
WORKDIR /src
COPY Directory.Build.props .editorconfig ./
COPY src/Operator/ src/Operator/
RUN dotnet publish src/Operator -c Release -r linux-x64 --self-contained false -o /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0-bookworm-slim
COPY --from=build /out /opt/imprint-operator
USER 65532:65532
ENV ASPNETCORE_URLS=http://+:8080 DOTNET_CLI_TELEMETRY_OPTOUT=1
EXPOSE 8080
ENTRYPOINT ["/opt/imprint-operator/imprint-operator"]
