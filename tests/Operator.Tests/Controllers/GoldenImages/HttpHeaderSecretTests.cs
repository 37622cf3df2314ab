using System.Text;
using Imprint.Operator.Controllers.GoldenImages;
using k8s.Models;

namespace Imprint.Operator.Tests.Controllers.GoldenImages;

public sealed class HttpHeaderSecretTests
{
    private static V1Secret Secret(params (string Key, string Value)[] data)
    {
        return new V1Secret { Data = data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetBytes(d.Value)) };
    }

    [Fact]
    public void Username_and_password_become_basic_auth_and_other_keys_headers()
    {
        var (headers, problem) = HttpHeaderSecret.Render(Secret(("username", "u"), ("password", "p:w"), ("X-Trace", "1\n")));

        Assert.Null(problem);
        Assert.Equal($"Authorization: Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes("u:p:w"))}\nX-Trace: 1\n", headers);
    }

    [Theory]
    [InlineData("username", "u", "both 'username' and 'password'")]
    [InlineData("bad header", "v", "not an HTTP header name")]
    [InlineData("X-Evil", "a\r\nInjected: 1", "spans several lines")]
    public void Unusable_secrets_are_refused_with_a_reason(string key, string value, string expected)
    {
        var (headers, problem) = HttpHeaderSecret.Render(Secret((key, value)));

        Assert.Null(headers);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }
}
