using Imprint.Operator.Hosting;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Kubernetes.Configuration;
using Imprint.Operator.Manifests;

// `imprint-operator manifests --output config [--check]` regenerates (or checks) CRDs and RBAC from the C# types.
if (args is ["manifests", ..])
{
    return ManifestCommand.Run(args[1..]);
}

// In a pod the service account is used, elsewhere the kubeconfig (KUBECONFIG, ~/.kube/config).
// The GoldenImage and VmClone controllers are registered with .AddController<TEntity, TController>() (step 4).
var builder = WebApplication.CreateBuilder(args);
builder.Logging.AddOperatorLogging();
builder.Services.AddSingleton(_ => KubernetesClientConfiguration.FromEnvironment(builder.Configuration["context"]));
builder.Services.AddSingleton<IKubernetesClient>(sp => new KubernetesClient(sp.GetRequiredService<KubernetesClientConfiguration>(), sp.GetService<ILogger<KubernetesClient>>()));
builder.Services.AddImprintOperator();

var app = builder.Build();
app.MapOperatorHealth();
await app.RunAsync().ConfigureAwait(false);
return 0;
