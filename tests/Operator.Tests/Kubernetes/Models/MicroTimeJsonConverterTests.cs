using System.Text.Json;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Models;

namespace Imprint.Operator.Tests.Kubernetes.Models;

public sealed class MicroTimeJsonConverterTests
{
    [Fact]
    public void Lease_times_are_written_with_six_fraction_digits_in_utc_and_read_back()
    {
        var lease = new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "l", Namespace = "ns" },
            Spec = new V1LeaseSpec
            {
                HolderIdentity = "me",
                RenewTime = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567),
            },
        };

        var json = JsonSerializer.Serialize(lease, V1Lease.JsonTypeInfo);
        var back = JsonSerializer.Deserialize(json, V1Lease.JsonTypeInfo)!;

        Assert.Contains("\"renewTime\":\"2026-11-22T08:00:00.123456Z\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("acquireTime", json, StringComparison.Ordinal);
        Assert.Contains("\"apiVersion\":\"coordination.k8s.io/v1\"", json, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero).AddTicks(1234560), back.Spec!.RenewTime);
    }
}
