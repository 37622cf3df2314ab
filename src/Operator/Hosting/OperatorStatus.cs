using Imprint.Operator.Runtime.Controllers;
using Imprint.Operator.Runtime.LeaderElection;

namespace Imprint.Operator.Hosting;

/// <summary>
/// Readiness: a leader (or a replica without leader election) is ready once every controller's watches have synced;
/// a standby is ready once it has reached the lease, i.e. it could take over.
/// </summary>
public sealed class OperatorStatus(ControllerManager manager, LeaderElector? elector = null)
{
    public bool IsLeading => elector?.IsLeader ?? manager.IsRunning;

    public bool IsReady => elector is null || elector.IsLeader ? manager.IsSynced : elector.HasObservedLease;

    public string Describe() => elector switch
    {
        null => manager.IsSynced ? "running, synced" : "running, not synced",
        { IsLeader: true } => manager.IsSynced ? "leading, synced" : "leading, not synced",
        _ => elector.HasObservedLease ? $"standby (leader: {elector.ObservedLeader ?? "none"})" : "standby, lease not reached",
    };
}
