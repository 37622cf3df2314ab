using Imprint.Agent.Customization.Ssh;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Customization.Ssh;

/// <summary>
/// One set of freshly generated host keys (rsa 3072 takes ~0.3 s), shared by the SSH test classes through the
/// "host keys" collection. The private temp folder's parent is recorded so a test can check it was emptied.
/// </summary>
public sealed class HostKeysFixture : IDisposable
{
    private readonly TempDirectory _parent = new();

    public HostKeysFixture()
    {
        Keys = SshHostKeyGenerator.GenerateAsync(["rsa", "ecdsa", "ed25519"], "root@fixture", _parent.Path, CancellationToken.None).GetAwaiter().GetResult();
    }

    public IReadOnlyList<GeneratedHostKey> Keys { get; }

    public string TempParent => _parent.Path;

    public void Dispose() => _parent.Dispose();
}
