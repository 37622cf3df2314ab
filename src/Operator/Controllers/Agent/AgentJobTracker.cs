using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Informers;
using k8s.Models;

namespace Imprint.Operator.Controllers.Agent;

/// <summary>
/// Reads a Job and its pod: the result only from an exit-0 termination message; progress from the pod log's last
/// progress line (the agent needs no API access to report it). With a <see cref="CachedReader"/> the Job and its pods
/// come from the shared informers; the pod is listed from the API only when the Job has finished and the cached pod
/// does not show its container terminated yet (the pod's watch may trail the Job's), so a result is never missed.
/// </summary>
public sealed class AgentJobTracker(IKubernetesClient client, CachedReader? reader = null)
{
    private const int ProgressTailLines = 20;

    public async Task<AgentJobObservation> ObserveAsync(string name, string ns, bool readProgress, CancellationToken cancellationToken)
    {
        var job = reader is null
            ? await client.GetAsync<V1Job>(name, ns, cancellationToken).ConfigureAwait(false)
            : await reader.GetAsync<V1Job>(name, ns, cancellationToken).ConfigureAwait(false);
        if (job is null)
        {
            return new AgentJobObservation(AgentJobState.Missing);
        }

        var status = job.Status;
        var failedCondition = status?.Conditions?.FirstOrDefault(c => c.Type == "Failed" && c.Status == "True");
        var completeCondition = status?.Conditions?.FirstOrDefault(c => c.Type == "Complete" && c.Status == "True");
        var succeeded = (status?.Succeeded ?? 0) > 0 || completeCondition is not null;
        var failed = failedCondition is not null || (!succeeded && (status?.Failed ?? 0) > (job.Spec.BackoffLimit ?? 0));
        var cached = CachedPods(job);
        var pod = cached is null ? await LatestPodAsync(name, ns, cancellationToken).ConfigureAwait(false) : Latest(cached);
        var terminated = Terminated(pod);
        if (cached is not null && (succeeded || failed) && terminated is null)
        {
            pod = await LatestPodAsync(name, ns, cancellationToken).ConfigureAwait(false);
            terminated = Terminated(pod);
        }

        // The container ended with its result but the Job controller has not marked the Job yet: the result is final
        // (backoffLimit 0), and a plan's progress can no longer be read from a running pod.
        if (!succeeded && !failed && terminated is { ExitCode: 0 } && AgentOutput.ParseResult(terminated.Message) is { Ok: true } early)
        {
            return new AgentJobObservation(AgentJobState.Succeeded, early, 0, PodName: pod?.Metadata.Name);
        }

        if (succeeded)
        {
            var result = AgentOutput.ParseResult(terminated?.Message);
            return result is { Ok: true }
                ? new AgentJobObservation(AgentJobState.Succeeded, result, 0, PodName: pod?.Metadata.Name)
                : new AgentJobObservation(AgentJobState.Failed, result, terminated?.ExitCode ?? 0,
                    "the agent exited 0 but left no readable result in its termination message", PodName: pod?.Metadata.Name);
        }

        if (failed || terminated is { ExitCode: not 0 })
        {
            var result = AgentOutput.ParseResult(terminated?.Message);
            var message = result?.Error
                ?? (string.IsNullOrWhiteSpace(terminated?.Message) ? null : LastLines(terminated!.Message!, 5))
                ?? failedCondition?.Message
                ?? failedCondition?.Reason
                ?? "the agent Job failed";
            // A pod killed mid-plan left no result, but its log tail (the fallback message) says which step ran.
            var lastProgress = result is null ? AgentOutput.LastProgress(terminated?.Message) : null;
            return new AgentJobObservation(AgentJobState.Failed, result, terminated?.ExitCode ?? result?.ExitCode, message, lastProgress, PodName: pod?.Metadata.Name);
        }

        AgentProgressValue? progress = null;
        if (readProgress && pod?.Status?.Phase == "Running")
        {
            try
            {
                var log = await client.ReadPodLogAsync(pod.Metadata.Name!, ns, AgentJobBuilder.ContainerName, ProgressTailLines, cancellationToken).ConfigureAwait(false);
                progress = AgentOutput.LastProgress(log);
            }
            catch (KubernetesApiException)
            {
                // The log is best effort: a pod between states may not serve it yet.
            }
        }

        return new AgentJobObservation(AgentJobState.Running, Progress: progress, PodName: pod?.Metadata.Name);
    }

    private IReadOnlyList<V1Pod>? CachedPods(V1Job job) =>
        reader is not null && job.Metadata.Uid is { } uid ? reader.CachedByOwner<V1Pod>(uid) : null;

    private static V1ContainerStateTerminated? Terminated(V1Pod? pod) =>
        pod?.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == AgentJobBuilder.ContainerName)?.State?.Terminated;

    private async Task<V1Pod?> LatestPodAsync(string job, string ns, CancellationToken ct)
    {
        var pods = await client.ListAsync<V1Pod>(ns, new ListOptions { LabelSelector = $"job-name={job}" }, ct).ConfigureAwait(false);
        return Latest(pods.Items);
    }

    private static V1Pod? Latest(IEnumerable<V1Pod> pods) =>
        pods.OrderByDescending(p => p.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue)
            .ThenByDescending(p => p.Metadata.Name, StringComparer.Ordinal)
            .FirstOrDefault();

    private static string LastLines(string text, int count)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" | ", lines.TakeLast(count));
    }
}
