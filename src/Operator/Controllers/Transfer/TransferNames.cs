using Imprint.Operator.Controllers.Agent;

namespace Imprint.Operator.Controllers.Transfer;

/// <summary>
/// Names of the objects a cross-namespace copy makes. Those in the golden's namespace cannot be owned by the clone
/// (ownerReferences do not cross namespaces), so they carry the clone's namespace in a label and are cleaned by label.
/// </summary>
public static class TransferNames
{
    public const int Port = 8443;

    /// <summary>Unique per clone across namespaces: the clone's namespace and name hashed into a short stem.</summary>
    public static string Stem(string cloneNamespace, string cloneName) => "imprint-xfer-" + AgentJobNames.Hash($"{cloneNamespace}/{cloneName}")[..12];

    public static string SourceSecret(string cloneNamespace, string cloneName, int attempt) => $"{Stem(cloneNamespace, cloneName)}-src-a{attempt}";

    public static string TargetSecret(string cloneName, int attempt) => AgentJobNames.Input(cloneName, AgentStep.Copy, attempt) + "-xfer";

    public static string ServeJob(string cloneNamespace, string cloneName, int attempt) => $"{Stem(cloneNamespace, cloneName)}-serve-a{attempt}";

    public static string SelectorInGoldenNamespace(string cloneNamespace, string cloneName) =>
        $"{AgentLabels.OwnerKind}=VmClone,{AgentLabels.Owner}={AgentLabels.LabelValue(cloneName)},{AgentLabels.OwnerNamespace}={cloneNamespace}";
}
