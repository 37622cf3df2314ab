using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Imprint.Operator.Kubernetes.Configuration;

/// <summary>
/// A kubeconfig <c>exec</c> credential plugin (client.authentication.k8s.io v1 / v1beta1): runs the command, reads the
/// ExecCredential it prints, and caches the token or client certificate until its expirationTimestamp (forever when
/// none is given, until <see cref="Invalidate"/> after a 401).
/// </summary>
public sealed class ExecCredentialProvider(
    string command,
    IReadOnlyList<string> arguments,
    IReadOnlyDictionary<string, string> environment,
    string apiVersion = ExecCredentialProvider.ApiVersionV1,
    TimeProvider? timeProvider = null) : ICredentialProvider
{
    public const string ApiVersionV1 = "client.authentication.k8s.io/v1";

    public const string ApiVersionV1Beta1 = "client.authentication.k8s.io/v1beta1";

    private static readonly TimeSpan PluginTimeout = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private KubernetesCredential? _cached;

    public string Command { get; } = command;

    public string ApiVersion { get; } = apiVersion;

    public async ValueTask<KubernetesCredential> GetCredentialAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is not null && (_cached.ExpiresAt is null || _time.GetUtcNow() < _cached.ExpiresAt))
            {
                return _cached;
            }

            _cached = await RunAsync(cancellationToken).ConfigureAwait(false);
            return _cached;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Invalidate() => _cached = null;

    private async Task<KubernetesCredential> RunAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["KUBERNETES_EXEC_INFO"] = new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "ExecCredential",
            ["spec"] = new JsonObject { ["interactive"] = false },
        }.ToJsonString();

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new KubernetesConfigException($"exec credential plugin '{Command}' did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new KubernetesConfigException($"exec credential plugin '{Command}' cannot be run: {e.Message}", e);
        }

        using (process)
        {
            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PluginTimeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new KubernetesConfigException($"exec credential plugin '{Command}' did not finish within {PluginTimeout.TotalSeconds} s.");
            }

            var output = await stdout.ConfigureAwait(false);
            var errors = await stderr.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new KubernetesConfigException($"exec credential plugin '{Command}' exited with code {process.ExitCode}: {errors.Trim()}");
            }

            return Parse(output);
        }
    }

    private KubernetesCredential Parse(string output)
    {
        JsonNode? status;
        try
        {
            status = JsonNode.Parse(output)?["status"];
        }
        catch (JsonException e)
        {
            throw new KubernetesConfigException($"exec credential plugin '{Command}' printed invalid JSON: {e.Message}", e);
        }

        if (status is null)
        {
            throw new KubernetesConfigException($"exec credential plugin '{Command}' printed an ExecCredential without status.");
        }

        var token = (string?)status["token"];
        var certificatePem = (string?)status["clientCertificateData"];
        var keyPem = (string?)status["clientKeyData"];
        var expiry = (string?)status["expirationTimestamp"];
        X509Certificate2? certificate = null;
        if (certificatePem is not null && keyPem is not null)
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }

        if (string.IsNullOrEmpty(token) && certificate is null)
        {
            throw new KubernetesConfigException($"exec credential plugin '{Command}' returned neither status.token nor clientCertificateData/clientKeyData.");
        }

        DateTimeOffset? expiresAt = expiry is null
            ? null
            : DateTimeOffset.Parse(expiry, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return new KubernetesCredential(string.IsNullOrEmpty(token) ? null : token, certificate, expiresAt);
    }
}
