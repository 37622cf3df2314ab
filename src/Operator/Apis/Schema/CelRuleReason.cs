namespace Imprint.Operator.Apis.Schema;

/// <summary>The machine-readable reason the API server reports when a CEL rule fails (<c>Unset</c> = its default, FieldValueInvalid).</summary>
public enum CelRuleReason
{
    Unset,
    FieldValueInvalid,
    FieldValueForbidden,
    FieldValueRequired,
    FieldValueDuplicate,
}
