namespace Imprint.Operator.Apis;

/// <summary>The API group Imprint owns and the names shared by its kinds.</summary>
public static class ImprintApi
{
    public const string Group = "imprint.dev";

    public const string V1Alpha1 = "v1alpha1";

    /// <summary><c>kubectl get imprint</c> lists every Imprint kind.</summary>
    public const string Category = "imprint";
}
