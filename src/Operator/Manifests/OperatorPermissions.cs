namespace Imprint.Operator.Manifests;

/// <summary>
/// Permissions of the runtime itself (events, leader election). Each controller declares the calls it makes on its
/// own class (GoldenImageController, VmCloneController), so RBAC follows the code that needs it.
/// </summary>
[GenericRbac(Groups = ["events.k8s.io"], Resources = ["events"],
    Verbs = RbacVerb.Create | RbacVerb.Patch | RbacVerb.Update | RbacVerb.Get | RbacVerb.List)]
// Leader election only touches its Lease in the operator's namespace.
[GenericRbac(Groups = ["coordination.k8s.io"], Resources = ["leases"],
    Verbs = RbacVerb.Get | RbacVerb.Create | RbacVerb.Update, Scope = RbacScope.OperatorNamespace)]
public static class OperatorPermissions;
