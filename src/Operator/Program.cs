using Imprint.Operator.Hosting;
using Imprint.Operator.Manifests;

// `imprint-operator manifests --output config [--check]` regenerates (or checks) CRDs and RBAC from the C# types.
if (args is ["manifests", ..])
{
    return ManifestCommand.Run(args[1..]);
}

// The Kubernetes client (IKubernetesClient) and the Imprint controllers are registered by their own slices:
// builder.Services.AddSingleton<IKubernetesClient>(...) and .AddController<TEntity, TController>() on the builder below.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.AddOperatorLogging();
builder.Services.AddImprintOperator();

var app = builder.Build();
app.MapOperatorHealth();
await app.RunAsync().ConfigureAwait(false);
return 0;
