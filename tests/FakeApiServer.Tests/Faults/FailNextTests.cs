using System.Net;

namespace Imprint.Testing.FakeApiServer.Tests.Faults;

public sealed class FailNextTests
{
    [Fact]
    public async Task Fail_next_429_carries_retry_after_and_status_body_then_recovers()
    {
        await using var api = await TestApi.StartAsync();
        api.Server.FailNext(r => r.Method == "GET", 429, count: 2, retryAfter: TimeSpan.FromMilliseconds(1500));

        using var first = await api.Client.GetAsync("/api/v1/namespaces");
        var body = System.Text.Json.Nodes.JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        var (second, _) = await api.GetAsync("/api/v1/namespaces");
        var (third, _) = await api.GetAsync("/api/v1/namespaces");

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), first.Headers.RetryAfter?.Delta);
        Assert.Equal("TooManyRequests", (string?)body["reason"]);
        Assert.Equal(429, (int)body["code"]!);
        Assert.Equal(HttpStatusCode.TooManyRequests, second);
        Assert.Equal(HttpStatusCode.OK, third);
    }

    [Fact]
    public async Task Fail_next_only_hits_matching_requests()
    {
        await using var api = await TestApi.StartAsync();
        api.Server.FailNext(r => r.Method == "POST", 503);

        var (get, _) = await api.GetAsync("/api/v1/namespaces");
        var (post, body) = await api.PostAsync("/api/v1/namespaces/a/configmaps", """{"metadata":{"name":"c"}}""");

        Assert.Equal(HttpStatusCode.OK, get);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, post);
        Assert.Equal("ServiceUnavailable", (string?)body["reason"]);
        Assert.Null(api.Server.Get("v1", "configmaps", "a", "c"));
    }

    [Theory]
    [InlineData(500, "InternalError")]
    [InlineData(503, "ServiceUnavailable")]
    [InlineData(409, "Conflict")]
    public async Task Fail_next_answers_a_status_body_with_the_real_reason(int code, string reason)
    {
        await using var api = await TestApi.StartAsync();
        api.Server.FailNext(_ => true, code);

        var (status, body) = await api.GetAsync("/api/v1/namespaces");

        Assert.Equal(code, (int)status);
        Assert.Equal(reason, (string?)body["reason"]);
        Assert.Equal("Failure", (string?)body["status"]);
        Assert.Equal(code, api.Server.Requests[^1].StatusCode);
    }
}
