using System.Diagnostics;
using System.Text;

namespace Imprint.Testing.NodeSimulator;

/// <summary>
/// A container run as a local process: stdout and stderr go into one log in arrival order (as the container runtime
/// writes them), pushed to the API server every <c>interval</c> while it runs and once more at exit.
/// </summary>
internal sealed class PodProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly Lock _gate = new();
    private readonly Action<string> _publish;
    private readonly CancellationTokenSource _stop = new();
    private int _published = -1;

    private PodProcess(Process process, Action<string> publish)
    {
        _process = process;
        _publish = publish;
    }

    /// <summary>Completes with the exit code once the process ended and its output is fully read and published.</summary>
    public Task<int> Exited { get; private set; } = Task.FromResult(0);

    public bool Killed { get; private set; }

    public string Log
    {
        get
        {
            lock (_gate)
                return _log.ToString();
        }
    }

    public static PodProcess Start(ProcessStartInfo start, Action<string> publish, TimeSpan interval)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        var process = new Process { StartInfo = start };
        var pod = new PodProcess(process, publish);
        process.Start();
        process.StandardInput.Close(); // a container without stdin: true reads EOF
        pod.Exited = pod.RunAsync(interval);
        return pod;
    }

    /// <summary>SIGTERM, then SIGKILL of the whole tree after <paramref name="grace"/>, like a kubelet stopping a container.</summary>
    public async Task KillAsync(TimeSpan grace)
    {
        if (Exited.IsCompleted)
            return;
        Killed = true;
        try
        {
            Signals.Terminate(_process.Id);
            await Exited.WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        await Exited;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _process.Dispose();
    }

    private async Task<int> RunAsync(TimeSpan interval)
    {
        var stdout = PumpAsync(_process.StandardOutput);
        var stderr = PumpAsync(_process.StandardError);
        var publisher = PublishLoopAsync(interval, _stop.Token);
        await _process.WaitForExitAsync();
        await Task.WhenAll(stdout, stderr);
        await _stop.CancelAsync();
        await publisher;
        Publish();
        return _process.ExitCode;
    }

    private async Task PumpAsync(StreamReader reader)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (_gate)
                _log.Append(buffer, 0, read);
        }
    }

    private async Task PublishLoopAsync(TimeSpan interval, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
                Publish();
        }
        catch (OperationCanceledException)
        {
            // Process ended: the final publish follows.
        }
    }

    private void Publish()
    {
        string text;
        lock (_gate)
        {
            if (_log.Length == _published)
                return;
            _published = _log.Length;
            text = _log.ToString();
        }
        _publish(text);
    }
}
