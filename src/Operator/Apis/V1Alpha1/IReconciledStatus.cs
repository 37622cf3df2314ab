namespace Imprint.Operator.Apis.V1Alpha1;

/// <summary>The status fields both kinds share, so one phase runner can write them.</summary>
public interface IReconciledStatus
{
    string? Progress { get; set; }

    IList<Condition>? Conditions { get; set; }

    long? ObservedGeneration { get; set; }

    DateTimeOffset? StartTime { get; set; }

    DateTimeOffset? CompletionTime { get; set; }

    int? RetryCount { get; set; }

    DateTimeOffset? NextRetryTime { get; set; }

    string? Reason { get; set; }

    string? Message { get; set; }
}
