using Imprint.Operator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Imprint.Operator.Tests.Runtime.Hosting;

public sealed class OperatorTelemetryTests
{
    [Fact]
    public void Metrics_port_is_added_to_the_configured_urls_not_in_place_of_them()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://+:8080");
        builder.Configuration[OperatorTelemetry.MetricsPortVariable] = "8081";

        var port = builder.AddMetricsListener();

        Assert.Equal(8081, port);
        Assert.Equal("http://+:8080;http://+:8081", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Fact]
    public void Metrics_port_keeps_the_http_ports_of_the_dotnet_base_images_when_no_urls_are_set()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, "8080");
        builder.Configuration[OperatorTelemetry.MetricsPortVariable] = "8081";

        builder.AddMetricsListener();

        Assert.Equal("http://+:8080;http://+:8081", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Fact]
    public void Without_a_metrics_port_the_urls_are_left_alone()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://+:8080");

        Assert.Null(builder.AddMetricsListener());
        Assert.Equal("http://+:8080", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Theory]
    [InlineData("banana")]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("8081 ")]
    public void A_metrics_port_that_is_not_a_port_number_is_refused_by_name(string value)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration[OperatorTelemetry.MetricsPortVariable] = value;

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddMetricsListener());

        Assert.Contains(OperatorTelemetry.MetricsPortVariable, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
    }
}
