using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Imprint.Testing.FakeApiServer;

/// <summary>Serves <c>?watch=true</c>: newline-delimited JSON events, flushed one by one, with optional bookmarks.</summary>
internal sealed class WatchStreamer(ObjectStore store, FakeApiServerOptions options)
{
    public async Task StreamAsync(HttpContext context, ResourcePath path)
    {
        var query = context.Request.Query;
        var watch = store.Subscribe(
            path.Kind, path.Namespace, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"], path.Kind),
            query["resourceVersion"]);
        var bookmarks = query["allowWatchBookmarks"] == "true";
        if (watch is null)
        {
            var gone = ApiException.Expired($"too old resource version: {query["resourceVersion"]} ({store.CurrentResourceVersion})");
            if (options.WatchGoneAsHttp410)
            {
                await ApiResponses.WriteJsonAsync(context, 410, gone.ToStatus());
                return;
            }
            await StartAsync(context);
            await WriteLineAsync(context, $"{{\"type\":\"ERROR\",\"object\":{gone.ToStatus().ToJsonString()}}}", context.RequestAborted);
            return;
        }
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var timeout) && timeout > 0)
            lifetime.CancelAfter(TimeSpan.FromSeconds(timeout));
        try
        {
            await StartAsync(context);
            await PumpAsync(context, watch, bookmarks, lifetime.Token);
        }
        catch (OperationCanceledException)
        {
            // Timeout or client gone: the stream simply ends.
        }
        finally
        {
            store.Unsubscribe(watch);
        }
        if (watch.Aborted)
            context.Abort();
    }

    private async Task PumpAsync(HttpContext context, WatchSubscription watch, bool bookmarks, CancellationToken ct)
    {
        while (true)
        {
            while (watch.Lines.TryRead(out var line))
                await WriteLineAsync(context, line, ct);
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (bookmarks)
                tick.CancelAfter(options.BookmarkInterval);
            try
            {
                if (!await watch.Lines.WaitToReadAsync(tick.Token))
                    return; // Closed by DropWatchConnections or a restart.
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                if (store.Bookmark(watch) is { } bookmark)
                    await WriteLineAsync(context, bookmark, ct);
            }
        }
    }

    private static async Task StartAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted); // Headers now, before the first event.
    }

    private static async Task WriteLineAsync(HttpContext context, string line, CancellationToken ct)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), ct);
        await context.Response.Body.FlushAsync(ct);
    }
}
