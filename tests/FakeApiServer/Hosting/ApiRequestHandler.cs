using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Imprint.Testing.FakeApiServer;

/// <summary>Maps REST verbs on resource paths to the store, answering errors as Status bodies.</summary>
internal sealed class ApiRequestHandler(
    ResourceRegistry registry, ObjectStore store, WatchStreamer watches, FaultInjector faults, ConcurrentDictionary<(string Ns, string Name), string> podLogs,
    RbacAuthorizer rbac)
{
    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            if (await faults.TryFailAsync(context))
                return;
            var path = ResourcePath.Parse(context.Request.Path.Value ?? "", registry);
            rbac.Authorize(context.Request, path, RbacAuthorizer.VerbOf(context.Request, path));
            await DispatchAsync(context, path);
        }
        catch (ApiException e) when (!context.Response.HasStarted)
        {
            await ApiResponses.WriteJsonAsync(context, e.Code, e.ToStatus());
        }
    }

    private async Task DispatchAsync(HttpContext context, ResourcePath path)
    {
        var request = context.Request;
        var query = request.Query;
        switch (request.Method)
        {
            case "GET" when path.Name is null && query["watch"] is ["true"] or ["1"]:
                if (!string.IsNullOrEmpty(query["resourceVersionMatch"]))
                    throw ApiException.BadRequest("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided");
                await watches.StreamAsync(context, path);
                break;
            case "GET" when path.Name is null:
                store.CheckListResourceVersion(query["resourceVersion"], query["resourceVersionMatch"]);
                var limit = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 0;
                var list = store.List(path.Kind, path.Namespace, LabelSelector.Parse(query["labelSelector"]),
                    FieldSelector.Parse(query["fieldSelector"], path.Kind), limit, query["continue"]);
                await ApiResponses.WriteJsonAsync(context, 200, list);
                break;
            case "GET" when path.Subresource == "log" && path.Kind.Plural == "pods" && path.Kind.Group.Length == 0:
                await WriteLogAsync(context, path);
                break;
            case "GET" when path.Subresource is null or "status":
                await ApiResponses.WriteJsonAsync(context, 200, store.Get(path.Kind, path.Namespace, path.Name!));
                break;
            case "POST" when path.Subresource == "binding" && path.Kind is { Group: "", Plural: "pods" }:
                var binding = await ReadObjectAsync(context);
                store.BindPod(path.Kind, path.Namespace, path.Name!, (string?)binding["target"]?["name"] ?? throw ApiException.BadRequest("binding has no target.name"));
                await ApiResponses.WriteJsonAsync(context, 201, StatusBodies.Success());
                break;
            case "POST" when path.Name is null:
                var body = await ReadObjectAsync(context);
                rbac.AuthorizeOwnerReferences(request, path, body, null, registry);
                await ApiResponses.WriteJsonAsync(context, 201, store.Create(path.Kind, path.Namespace, body));
                break;
            case "PUT" when path.Name is not null:
                var replacement = await ReadObjectAsync(context);
                rbac.AuthorizeOwnerReferences(request, path, replacement, store.Get(path.Kind, path.Namespace, path.Name), registry);
                var replaced = store.Update(path.Kind, path.Namespace, path.Name, replacement, path.Subresource);
                await ApiResponses.WriteJsonAsync(context, 200, replaced);
                break;
            case "PATCH" when path.Name is not null:
                var patch = PatchOf(path.Kind, request.ContentType, await ReadBodyAsync(context));
                JsonObject apply(JsonObject current)
                {
                    var old = (JsonObject)current.DeepClone();
                    var next = patch(current);
                    rbac.AuthorizeOwnerReferences(request, path, next, old, registry);
                    return next;
                }
                var patched = store.Patch(path.Kind, path.Namespace, path.Name, apply, path.Subresource);
                await ApiResponses.WriteJsonAsync(context, 200, patched);
                break;
            case "DELETE" when path.Name is not null && path.Subresource is null:
                var options = request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0 ? await ReadObjectAsync(context) : null;
                var policy = (string?)query["propagationPolicy"] ?? (string?)options?["propagationPolicy"];
                if (policy is null && options?["orphanDependents"] is JsonValue orphan && orphan.GetValue<bool>())
                    policy = "Orphan";
                var deleted = store.Delete(path.Kind, path.Namespace, path.Name, policy,
                    (string?)options?["preconditions"]?["uid"], (string?)options?["preconditions"]?["resourceVersion"]);
                await ApiResponses.WriteJsonAsync(context, 200, deleted);
                break;
            default:
                throw new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }
    }

    private async Task WriteLogAsync(HttpContext context, ResourcePath path)
    {
        store.Get(path.Kind, path.Namespace, path.Name!); // 404 for a missing pod, like the real server.
        var text = podLogs.TryGetValue((path.Namespace ?? "", path.Name!), out var log) ? log : "";
        if (int.TryParse(context.Request.Query["tailLines"], NumberStyles.None, CultureInfo.InvariantCulture, out var tail))
        {
            var lines = text.TrimEnd('\n').Split('\n');
            text = lines.Length <= tail ? text : string.Join('\n', lines[^tail..]) + "\n";
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(text, context.RequestAborted);
    }

    /// <summary>The patch types the real server accepts: strategic merge only for built-in kinds (415 on custom resources).</summary>
    private static Func<JsonObject, JsonObject> PatchOf(ResourceKind kind, string? contentType, JsonNode? body)
    {
        var mediaType = contentType?.Split(';')[0].Trim();
        switch (mediaType)
        {
            case "application/json-patch+json":
                return current => JsonPatch.Apply(current, body);
            case "application/merge-patch+json":
                return current => MergePatch.Apply(current, RequireObject(body)) as JsonObject ?? current;
            case "application/strategic-merge-patch+json" when !kind.IsCustom:
                return current => StrategicMergePatch.Apply(current, RequireObject(body)) as JsonObject ?? current;
            default:
                var accepted = kind.IsCustom
                    ? "application/json-patch+json, application/merge-patch+json"
                    : "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json";
                throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {accepted}");
        }
    }

    private static JsonObject RequireObject(JsonNode? body) =>
        body as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");

    private static async Task<JsonNode?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the request body is not valid JSON: {e.Message}");
        }
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject
                ?? throw ApiException.BadRequest("the request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the request body is not valid JSON: {e.Message}");
        }
    }
}
