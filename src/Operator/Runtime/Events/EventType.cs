namespace Imprint.Operator.Runtime.Events;

/// <summary>The two Event types the API server accepts.</summary>
public static class EventType
{
    public const string Normal = "Normal";

    public const string Warning = "Warning";
}
