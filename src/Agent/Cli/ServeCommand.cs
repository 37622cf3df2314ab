using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Imprint.Agent.Errors;
using Imprint.Agent.Results;
using Imprint.Agent.Transfer;

namespace Imprint.Agent.Cli;

/// <summary><c>imprint serve DISK --listen ADDR:PORT --token-file F --tls-cert C --tls-key K [--timeout 10m]</c>.</summary>
public static class ServeCommand
{
    public static Command Build(CommandRunner runner)
    {
        var disk = new Argument<FileInfo>("disk") { Description = "Raw disk (file or block device) to send; only read" };
        var listen = new Option<string>("--listen") { Description = "ADDR:PORT to listen on, e.g. 0.0.0.0:8443", Required = true };
        var tokenFile = new Option<FileInfo>("--token-file") { Description = "File holding the one-time token the client must present", Required = true };
        var cert = new Option<FileInfo>("--tls-cert") { Description = "PEM server certificate (chain)", Required = true };
        var key = new Option<FileInfo>("--tls-key") { Description = "PEM private key of the certificate", Required = true };
        var timeout = new Option<string>("--timeout") { Description = "Give up when no client fetched the disk by then (e.g. 10m, 90s)", DefaultValueFactory = _ => "10m" };
        var command = new Command("serve", "Send a disk's data extents once, over TLS, to the client holding the token (cross-namespace copies)")
        {
            disk, listen, tokenFile, cert, key, timeout,
        };
        command.SetAction((parse, ct) => runner.RunAsync("serve", parse, async (context, token) =>
        {
            var request = new ServeRequest
            {
                DiskPath = parse.GetValue(disk)!.FullName,
                Listen = ParseEndPoint(parse.GetValue(listen)!),
                Token = TransferToken.FromFile(parse.GetValue(tokenFile)!.FullName),
                Certificate = LoadCertificate(parse.GetValue(cert)!.FullName, parse.GetValue(key)!.FullName),
                Timeout = ParseDuration(parse.GetValue(timeout)!),
                OnListening = endpoint => context.Log.WriteLine($"imprint serve: listening on {endpoint}"),
                Progress = context.CreateProgress("serve"),
            };
            using (request.Certificate)
            {
                var served = await DiskServer.ServeAsync(request, token).ConfigureAwait(false);
                var report = new CopyReport("serve", ["raw"], served.VirtualSize, served.DataBytes, served.DataBytes, (long)served.Elapsed.TotalMilliseconds, null)
                {
                    Checksum = "sha256:" + served.DataSha256,
                };
                return new AgentResult
                {
                    Command = "serve",
                    Copy = report,
                    Warnings = served.RefusedConnections > 0 ? [$"{served.RefusedConnections} connection(s) without the right token were refused"] : null,
                };
            }
        }, ct));
        return command;
    }

    public static IPEndPoint ParseEndPoint(string text) =>
        IPEndPoint.TryParse(text, out var endpoint) && text.Contains(':', StringComparison.Ordinal) && endpoint.Port > 0
            ? endpoint
            : throw ImprintException.Usage($"--listen '{text}' is not ADDR:PORT (e.g. 0.0.0.0:8443)");

    /// <summary>Durations like 10m, 90s, 1h or plain seconds.</summary>
    public static TimeSpan ParseDuration(string text)
    {
        var unit = text.Length > 0 && char.IsAsciiLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsAsciiLetter(unit) && text.Length > 0 && char.IsAsciiLetter(text[^1]) ? text[..^1] : text;
        if (!double.TryParse(number, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw ImprintException.Usage($"--timeout '{text}' is not a duration such as 10m or 90s");
        }

        return unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            _ => throw ImprintException.Usage($"--timeout '{text}' has an unknown unit (s, m or h)"),
        };
    }

    private static X509Certificate2 LoadCertificate(string certPath, string keyPath)
    {
        foreach (var path in new[] { certPath, keyPath })
        {
            if (!File.Exists(path))
            {
                throw ImprintException.NotFound($"'{path}' does not exist");
            }
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(certPath, keyPath);
        }
        catch (CryptographicException ex)
        {
            throw new ImprintException(ExitCode.Usage, $"cannot load the TLS certificate '{certPath}' with key '{keyPath}': {ex.Message}", ex);
        }
    }
}
