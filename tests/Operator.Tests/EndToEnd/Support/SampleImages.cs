using System.Diagnostics;
using System.Security.Cryptography;
using Imprint.Operator.Tests.Kubernetes.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Imprint.Operator.Tests.EndToEnd.Support;

/// <summary>
/// One sample Debian-like guest disk per test run (the repository's make-sample-disk.sh, no root), its qcow2 form
/// and SHA-512, and an HTTP server on 127.0.0.1 that serves it as the samples' cloud image would be served — openly,
/// and under <c>/private/</c> only to requests carrying <see cref="PrivateAuthorization"/>.
/// </summary>
public sealed class SampleImages
{
    public const string QcowName = "debian-12-genericcloud-amd64.qcow2";

    private static readonly Lazy<Task<SampleImages>> Built = new(BuildAsync);

    private SampleImages(string raw, string qcow2, string sha512, Uri baseAddress)
    {
        RawPath = raw;
        QcowPath = qcow2;
        QcowSha512 = sha512;
        BaseAddress = baseAddress;
    }

    public string RawPath { get; }

    public string QcowPath { get; }

    public string QcowSha512 { get; }

    public Uri BaseAddress { get; }

    public Uri QcowUrl => new(BaseAddress, QcowName);

    /// <summary>The same image behind a bearer token, as a private mirror would serve it.</summary>
    public Uri PrivateQcowUrl => new(BaseAddress, "private/" + QcowName);

    /// <summary>The Authorization header value /private/ wants (random per test run).</summary>
    public static string PrivateAuthorization { get; } = "Bearer " + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static Task<SampleImages> GetAsync() => Built.Value;

    private static async Task<SampleImages> BuildAsync()
    {
        var dir = Directory.CreateTempSubdirectory("imprint-e2e-images-").FullName;
        var raw = Path.Combine(dir, "sample.raw");
        var qcow2 = Path.Combine(dir, QcowName);
        await RunAsync(Path.Combine(ImprintCluster.RepoRoot, "scripts", "make-sample-disk.sh"), raw, "64");
        await RunAsync("qemu-img", "convert", "-O", "qcow2", raw, qcow2);
        string sha512;
        await using (var stream = File.OpenRead(qcow2))
        {
            sha512 = Convert.ToHexStringLower(await SHA512.HashDataAsync(stream));
        }

        var (_, baseAddress) = await LoopbackWebApp.StartAsync(app =>
        {
            app.MapGet("/{name}", (string name) => name == QcowName
                ? Results.File(qcow2, "application/octet-stream", enableRangeProcessing: true)
                : Results.NotFound());
            app.MapGet("/private/{name}", (string name, HttpRequest request) =>
                request.Headers.Authorization.ToString() != PrivateAuthorization ? Results.Unauthorized()
                : name == QcowName ? Results.File(qcow2, "application/octet-stream", enableRangeProcessing: true)
                : Results.NotFound());
        });
        return new SampleImages(raw, qcow2, sha512, baseAddress);
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {await error}");
        }
    }
}
