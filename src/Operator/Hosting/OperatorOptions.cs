using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Runtime.LeaderElection;

namespace Imprint.Operator.Hosting;

/// <summary>Process-wide operator settings; per-controller settings start from <see cref="ControllerDefaults"/>.</summary>
public sealed class OperatorOptions
{
    private const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    /// <summary>Run controllers only while holding the lease (off: always run, e.g. a single replica in development).</summary>
    public bool LeaderElection { get; set; } = true;

    public string LeaseName { get; set; } = "imprint-operator-leader";

    /// <summary>Namespace of the lease: POD_NAMESPACE, else the service account's namespace, else "default".</summary>
    public string LeaseNamespace { get; set; } = DefaultNamespace();

    /// <summary>This replica in the lease and in Events' reportingInstance: pod name plus a random suffix.</summary>
    public string Identity { get; set; } = LeaderElectionOptions.DefaultIdentity();

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    public string ReportingController { get; set; } = "imprint.dev/operator";

    public ControllerOptions ControllerDefaults { get; set; } = new();

    public LeaderElectionOptions ToLeaderElectionOptions() => new()
    {
        LeaseName = LeaseName,
        LeaseNamespace = LeaseNamespace,
        Identity = Identity,
        LeaseDuration = LeaseDuration,
        RenewDeadline = RenewDeadline,
        RetryPeriod = RetryPeriod,
    };

    private static string DefaultNamespace()
    {
        if (Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } ns)
        {
            return ns;
        }

        return File.Exists(ServiceAccountNamespaceFile) ? File.ReadAllText(ServiceAccountNamespaceFile).Trim() : "default";
    }
}
