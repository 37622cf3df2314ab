using System.Globalization;
using System.Text;
using Imprint.Operator.Apis.V1Alpha1;
using Imprint.Operator.Controllers.Agent;
using Imprint.Operator.Controllers.Phases;
using Imprint.Operator.Controllers.Transfer;
using Imprint.Operator.Kubernetes;
using k8s.Models;

namespace Imprint.Operator.Controllers.VmClones;

/// <summary>
/// The copy across namespaces (a pod cannot mount another namespace's claim): an agent next to the golden disk serves
/// its data extents over TLS with a one-time token (<c>imprint serve</c>), and the agent next to the target fetches
/// them (<c>imprint clone https://…</c>) as the first step of the clone's plan, so customize and
/// grow share its pod. Credentials are fresh per attempt and live only in Secrets.
/// </summary>
public static class TransferDisk
{
    private const string TokenPath = "secrets/token";
    private const string CertPath = "secrets/tls.crt";
    private const string KeyPath = "secrets/tls.key";
    private const string CaPath = "secrets/ca.crt";

    public static async Task<PhaseOutcome> RunAsync(VmCloneContext context, CancellationToken ct)
    {
        var poll = TimeSpan.FromSeconds(context.Options.Agent.ProgressIntervalSeconds);
        var sourceSecret = TransferNames.SourceSecret(context.Namespace, context.Name, context.Attempt);
        var targetSecret = TransferNames.TargetSecret(context.Name, context.Attempt);
        var fetch = FetchStep(context, host: null, targetSecret);
        if (await context.DiskSteps.SkipsAsync(fetch, ct).ConfigureAwait(false))
        {
            // An earlier attempt's copy stands: nothing to serve, and the plan starts at customize.
            var rest = await context.DiskSteps.RunAsync(fetch, ct).ConfigureAwait(false);
            return AgentStepOutcome.From(rest, context.DiskSteps.JobName(fetch), "Copying", "copying the golden disk", poll);
        }

        await EnsureSecretsAsync(context, sourceSecret, targetSecret, ct).ConfigureAwait(false);

        var golden = AgentDisk.Golden(context.GoldenPvcName!, context.GoldenMode);
        var serve = new AgentJobRequest
        {
            Owner = context.Entity,
            Step = AgentStep.Serve,
            Attempt = context.Attempt,
            Namespace = context.GoldenNamespace,
            NameOverride = TransferNames.ServeJob(context.Namespace, context.Name, context.Attempt),
            Args =
            [
                "serve", golden.Path, "--listen", string.Create(CultureInfo.InvariantCulture, $"0.0.0.0:{TransferNames.Port}"),
                "--token-file", AgentInput.PathOf(TokenPath), "--tls-cert", AgentInput.PathOf(CertPath), "--tls-key", AgentInput.PathOf(KeyPath),
                "--timeout", "30m",
            ],
            Disks = [golden],
            Input = new AgentInput([
                AgentInputFile.Secret(sourceSecret, "token", TokenPath),
                AgentInputFile.Secret(sourceSecret, "tls.crt", CertPath),
                AgentInputFile.Secret(sourceSecret, "tls.key", KeyPath),
            ]),
        };
        var served = await context.Steps.RunAsync(serve, ct).ConfigureAwait(false);
        if (served.State == AgentJobState.Failed)
        {
            return AgentStepOutcome.From(served, serve.Name, "Copying", "serving the golden disk", poll);
        }

        // The receiving side is the first step of the clone's plan, so customize and grow follow in its pod. It needs the
        // server's address, known once the serving pod runs; each attempt has its own serve Job and plan Job, so the
        // address baked into a plan is never one from an earlier attempt.
        var observation = await context.DiskSteps.ObserveAsync(fetch, ct).ConfigureAwait(false);
        if (observation.State == AgentJobState.Missing)
        {
            var podIp = served.PodName is null ? null : (await context.Reader.GetAsync<V1Pod>(served.PodName, context.GoldenNamespace, ct).ConfigureAwait(false))?.Status?.PodIP;
            if (podIp is null)
            {
                return PhaseOutcome.Wait("WaitingForTransferSource", $"waiting for the agent serving the golden disk in namespace {context.GoldenNamespace} (Job {serve.Name})", poll);
            }

            fetch = FetchStep(context, podIp.Contains(':', StringComparison.Ordinal) ? $"[{podIp}]" : podIp, targetSecret);
            observation = await context.DiskSteps.RunAsync(fetch, ct).ConfigureAwait(false);
        }

        var jobName = context.DiskSteps.JobName(fetch);
        if (await GoldenDigestCheck.StopOnMismatchAsync(context, observation, jobName, ct).ConfigureAwait(false) is { } changed)
        {
            return changed;
        }

        context.Progress = observation is { State: AgentJobState.Running, Progress: { } p } ? AgentOutput.Percent(p.Fraction) : context.Progress;
        if (observation.Result is { Ok: true } result)
        {
            context.Status.Durations ??= new CloneDurations();
            context.Status.Durations.CloneMs = result.Copy?.DurationMs ?? result.DurationMs;
            context.BytesCopied = result.Copy?.BytesWritten;
        }

        return AgentStepOutcome.From(observation, jobName, "Copying", $"copying the golden disk from namespace {context.GoldenNamespace}", poll);
    }

    /// <summary>
    /// The receiving side's plan step: <c>imprint clone https://HOST:PORT …</c> with this attempt's token and CA. Without
    /// a host it only names the step (to observe a plan already started).
    /// </summary>
    public static AgentPlanStep FetchStep(VmCloneContext context, string? host, string targetSecret)
    {
        var target = context.TargetDisk;
        IReadOnlyList<string> args = host is null ? [] :
        [
            "clone", string.Create(CultureInfo.InvariantCulture, $"https://{host}:{TransferNames.Port}"), target.Path, "--overwrite",
            "--token-file", AgentInput.PathOf(TokenPath), "--ca-file", AgentInput.PathOf(CaPath), "--tls-server-name", TransferCredentials.ServerName,
            .. GoldenImages.GoldenImageIntegrity.ExpectArgs(context.Golden),
        ];
        return new AgentPlanStep(AgentStep.Copy, args, [target])
        {
            Input = new AgentInput([AgentInputFile.Secret(targetSecret, "token", TokenPath), AgentInputFile.Secret(targetSecret, "ca.crt", CaPath)]),
        };
    }

    /// <summary>Removes what a cross-namespace copy left in the golden's namespace (Jobs and the serving Secret).</summary>
    public static async Task CleanupAsync(IKubernetesClient client, string goldenNamespace, string cloneNamespace, string cloneName, CancellationToken ct)
    {
        var selector = TransferNames.SelectorInGoldenNamespace(cloneNamespace, cloneName);
        await LabelledObjects.DeleteAsync<V1Job>(client, goldenNamespace, selector, ct).ConfigureAwait(false);
        await LabelledObjects.DeleteAsync<V1Secret>(client, goldenNamespace, selector, ct).ConfigureAwait(false);
    }

    private static async Task EnsureSecretsAsync(VmCloneContext context, string sourceSecret, string targetSecret, CancellationToken ct)
    {
        if (await context.Client.GetAsync<V1Secret>(sourceSecret, context.GoldenNamespace, ct).ConfigureAwait(false) is not null
            && await context.Client.GetAsync<V1Secret>(targetSecret, context.Namespace, ct).ConfigureAwait(false) is not null)
        {
            return;
        }

        var credentials = TransferCredentials.Create(context.Now);
        var labels = AgentLabels.OwnedBy(context.Entity);
        labels[AgentLabels.OwnerNamespace] = context.Namespace;
        var source = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = sourceSecret, NamespaceProperty = context.GoldenNamespace, Labels = labels },
            Type = "Opaque",
            Immutable = true,
            Data = new Dictionary<string, byte[]>
            {
                ["token"] = Encoding.ASCII.GetBytes(credentials.Token),
                ["tls.crt"] = Encoding.ASCII.GetBytes(credentials.CertificatePem),
                ["tls.key"] = Encoding.ASCII.GetBytes(credentials.PrivateKeyPem),
            },
        };
        var target = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = targetSecret, NamespaceProperty = context.Namespace, Labels = new Dictionary<string, string>(labels), OwnerReferences = [AgentJobBuilder.OwnerReference(context.Entity)] },
            Type = "Opaque",
            Immutable = true,
            Data = new Dictionary<string, byte[]>
            {
                ["token"] = Encoding.ASCII.GetBytes(credentials.Token),
                ["ca.crt"] = Encoding.ASCII.GetBytes(credentials.CertificatePem),
            },
        };

        // Both halves are replaced together so the token and certificate always match.
        await context.Client.DeleteAsync<V1Secret>(sourceSecret, context.GoldenNamespace, PropagationPolicy.Background, ct).ConfigureAwait(false);
        await context.Client.DeleteAsync<V1Secret>(targetSecret, context.Namespace, PropagationPolicy.Background, ct).ConfigureAwait(false);
        await context.Client.CreateAsync(source, ct).ConfigureAwait(false);
        await context.Client.CreateAsync(target, ct).ConfigureAwait(false);
    }
}
