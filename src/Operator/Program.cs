using Imprint.Operator.Controllers;
using Imprint.Operator.Controllers.Configuration;
using Imprint.Operator.Hosting;
using Imprint.Operator.Kubernetes;
using Imprint.Operator.Kubernetes.Client;
using Imprint.Operator.Manifests;
using k8s;

// `imprint-operator manifests --output config [--check]` regenerates (or checks) CRDs and RBAC from the C# types.
if (args is ["manifests", ..])
{
    return ManifestCommand.Run(args[1..]);
}

// In a pod the service account is used, elsewhere the kubeconfig (KUBECONFIG, ~/.kube/config). Settings come from the
// JSON file named by IMPRINT_CONFIG (the Helm chart's ConfigMap) and Imprint__* environment variables.
var builder = WebApplication.CreateBuilder(args);
if (Environment.GetEnvironmentVariable(ImprintOptions.ConfigFileVariable) is { Length: > 0 } configFile)
{
    builder.Configuration.AddJsonFile(configFile, optional: false, reloadOnChange: false);
    builder.Configuration.AddEnvironmentVariables();
}

var imprint = ImprintOptions.From(builder.Configuration);
builder.Logging.AddOperatorLogging();
builder.Services.AddSingleton(_ => OperatorKubeConfig.Load(builder.Configuration["context"]));
builder.Services.AddSingleton<IKubernetesClient>(sp => new KubernetesClient(sp.GetRequiredService<KubernetesClientConfiguration>(), sp.GetService<ILogger<KubernetesClient>>(), sp.GetService<TimeProvider>()));

var app = ImprintOperatorApp.Build(builder, imprint);
await app.RunAsync().ConfigureAwait(false);
return 0;
