using System.Text.Json.Serialization;
using Imprint.Operator.Kubernetes;

namespace Imprint.Operator.Tests.Runtime.Support;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TestWidget))]
[JsonSerializable(typeof(KubernetesList<TestWidget>))]
[JsonSerializable(typeof(WatchEvent<TestWidget>))]
[JsonSerializable(typeof(TestJob))]
[JsonSerializable(typeof(KubernetesList<TestJob>))]
[JsonSerializable(typeof(WatchEvent<TestJob>))]
[JsonSerializable(typeof(TestPod))]
[JsonSerializable(typeof(KubernetesList<TestPod>))]
[JsonSerializable(typeof(WatchEvent<TestPod>))]
public sealed partial class TestJsonContext : JsonSerializerContext;
