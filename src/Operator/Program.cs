var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/healthz", () => Results.Ok("ok"));
app.MapGet("/readyz", () => Results.Ok("ok"));
await app.RunAsync().ConfigureAwait(false);
