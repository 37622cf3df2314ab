using Imprint.Operator.Kubernetes;

namespace Imprint.Operator.Runtime.Informers;

/// <summary>What <see cref="SharedInformerFactory"/> needs of an informer whatever its kind: run it and report on it.</summary>
public interface ISharedInformer
{
    ResourceType Resource { get; }

    string? LabelSelector { get; }

    bool HasSynced { get; }

    /// <summary>Watch connections opened so far.</summary>
    long Watches { get; }

    /// <summary>Full lists made so far.</summary>
    long Relists { get; }

    int Count { get; }

    Task RunAsync(CancellationToken cancellationToken);
}
