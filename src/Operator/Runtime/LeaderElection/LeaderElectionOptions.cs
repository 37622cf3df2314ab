using System.Security.Cryptography;

namespace Imprint.Operator.Runtime.LeaderElection;

/// <summary>Lease-based leader election timings (client-go's defaults) and identity.</summary>
public sealed record LeaderElectionOptions
{
    public required string LeaseName { get; init; }

    public required string LeaseNamespace { get; init; }

    /// <summary>This replica's name in holderIdentity; defaults to the pod name plus a random suffix.</summary>
    public string Identity { get; init; } = DefaultIdentity();

    /// <summary>How long a renewal keeps others out.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps retrying a failed renewal before it gives leadership up.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between acquire or renew attempts.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>On graceful shutdown, clear the holder so another replica can take over at once.</summary>
    public bool ReleaseOnCancel { get; init; } = true;

    public static string DefaultIdentity()
    {
        var pod = Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.GetEnvironmentVariable("HOSTNAME") ?? Environment.MachineName;
        return $"{pod}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
    }
}
