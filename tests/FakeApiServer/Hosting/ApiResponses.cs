using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Imprint.Testing.FakeApiServer;

/// <summary>Writes JSON bodies with the content type the API server uses.</summary>
internal static class ApiResponses
{
    public static async Task WriteJsonAsync(HttpContext context, int statusCode, JsonNode body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
