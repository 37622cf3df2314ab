using Imprint.Agent.Cli;

// SIGINT/SIGTERM cancel the running command; the command cleans up its partial target and exits 130.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM,
    context =>
    {
        context.Cancel = true;
        cancellation.Cancel();
    });

return await ImprintCli.RunAsync(args, Console.Out, Console.Error, cancellation.Token).ConfigureAwait(false);
