using System.Text.Json.Nodes;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Runtime.Status;
using Imprint.Operator.Tests.Runtime.Support;

namespace Imprint.Operator.Tests.Runtime.Status;

public sealed class StatusUpdateExtensionsTests
{
    [Fact]
    public async Task A_stale_copy_is_re_read_and_the_change_re_applied_on_409()
    {
        var client = new InMemoryKubernetesClient();
        var stale = await client.CreateAsync(TestWidget.Named("a", size: 1));
        await client.PatchAsync<TestWidget>("a", "default", JsonNode.Parse("""{"spec":{"size":4}}""")!);
        var applied = new List<int>();

        var written = await client.UpdateStatusAsync(stale, w =>
        {
            applied.Add(w.Spec.Size);
            w.Status = new TestWidget.WidgetStatus { Phase = $"size-{w.Spec.Size}" };
        });

        // First applied to the stale copy (size 1, rejected), then to the fresh one (size 4).
        Assert.Equal([1, 4], applied);
        Assert.Equal("size-4", written.Status!.Phase);
        Assert.Equal("size-4", (await client.GetAsync<TestWidget>("a", "default"))!.Status!.Phase);
        Assert.Equal(2L, written.Metadata.Generation);
    }

    [Fact]
    public async Task Gives_up_with_the_conflict_after_the_attempt_bound()
    {
        var client = new InMemoryKubernetesClient();
        await client.CreateAsync(TestWidget.Named("a"));
        var attempts = 0;

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => client.UpdateStatusAsync(
            TestWidget.Named("a"),
            w =>
            {
                attempts++;
                w.Metadata.ResourceVersion = "1"; // always stale
            },
            maxAttempts: 3));

        Assert.True(error.IsConflict);
        Assert.Equal(3, attempts);
    }
}
