namespace Imprint.Agent.Customization.Spec;

/// <summary>How YAML plain scalars are typed: the YAML 1.2 core schema, as Kubernetes' own YAML reading does for these.</summary>
internal static class SpecScalars
{
    public static bool IsNull(string text) => text is "" or "~" or "null" or "Null" or "NULL";

    public static bool IsBoolean(string text) => ParseBoolean(text) is not null;

    public static bool? ParseBoolean(string text) => text switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => null,
    };
}
