using Imprint.Operator.Apis.V1Alpha1;

namespace Imprint.Operator.Manifests;

/// <summary>
/// Every API permission the operator needs, in one place until the controllers exist: each controller should then
/// carry the declarations for the calls it makes (and these move there), so RBAC follows the code that needs it.
/// </summary>
[EntityRbac(typeof(V1Alpha1GoldenImage), typeof(V1Alpha1VmClone),
    Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Update | RbacVerb.Patch)]
[EntityRbac(typeof(V1Alpha1GoldenImage), typeof(V1Alpha1VmClone), Subresource = "status",
    Verbs = RbacVerb.Get | RbacVerb.Update | RbacVerb.Patch)]
[EntityRbac(typeof(V1Alpha1GoldenImage), typeof(V1Alpha1VmClone), Subresource = "finalizers", Verbs = RbacVerb.Update)]
[GenericRbac(Groups = [""], Resources = ["persistentvolumeclaims"],
    Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Create | RbacVerb.Delete | RbacVerb.Patch)]
[GenericRbac(Groups = ["batch"], Resources = ["jobs"],
    Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Create | RbacVerb.Delete)]
[GenericRbac(Groups = [""], Resources = ["pods"], Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch)]
[GenericRbac(Groups = [""], Resources = ["pods/log", "secrets", "configmaps", "namespaces"], Verbs = RbacVerb.Get)]
[GenericRbac(Groups = ["events.k8s.io"], Resources = ["events"],
    Verbs = RbacVerb.Create | RbacVerb.Patch | RbacVerb.Update | RbacVerb.Get | RbacVerb.List)]
[GenericRbac(Groups = ["storage.k8s.io"], Resources = ["storageclasses"], Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch)]
[GenericRbac(Groups = ["snapshot.storage.k8s.io"], Resources = ["volumesnapshots"],
    Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Create | RbacVerb.Delete)]
[GenericRbac(Groups = ["authorization.k8s.io"], Resources = ["subjectaccessreviews"], Verbs = RbacVerb.Create)]
// Leader election only touches its Lease in the operator's namespace.
[GenericRbac(Groups = ["coordination.k8s.io"], Resources = ["leases"],
    Verbs = RbacVerb.Get | RbacVerb.Create | RbacVerb.Update, Scope = RbacScope.OperatorNamespace)]
public static class OperatorPermissions;
