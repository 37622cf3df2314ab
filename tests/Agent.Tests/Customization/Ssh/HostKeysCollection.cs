namespace Imprint.Agent.Tests.Customization.Ssh;

/// <summary>Test classes that share one <see cref="HostKeysFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class HostKeysCollection : ICollectionFixture<HostKeysFixture>
{
    public const string Name = "host keys";
}
