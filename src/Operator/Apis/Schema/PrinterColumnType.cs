namespace Imprint.Operator.Apis.Schema;

/// <summary>The value types <c>kubectl get</c> can print in an additional column.</summary>
public enum PrinterColumnType
{
    String,
    Integer,
    Number,
    Boolean,
    Date,
}
