namespace Imprint.Testing.FakeApiServer.Tests.Validation;

/// <summary>A CRD exercising every schema feature the fake validates.</summary>
internal static class WidgetCrd
{
    public const string Path = "/apis/imprint.dev/v1alpha1/namespaces/a/widgets";

    public const string Json = """
    {
      "apiVersion": "apiextensions.k8s.io/v1",
      "kind": "CustomResourceDefinition",
      "metadata": { "name": "widgets.imprint.dev" },
      "spec": {
        "group": "imprint.dev",
        "scope": "Namespaced",
        "names": { "plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList" },
        "versions": [{
          "name": "v1alpha1", "served": true, "storage": true,
          "subresources": { "status": {} },
          "schema": { "openAPIV3Schema": {
            "type": "object",
            "properties": {
              "apiVersion": { "type": "string" },
              "kind": { "type": "string" },
              "metadata": { "type": "object" },
              "spec": {
                "type": "object",
                "required": ["image"],
                "x-kubernetes-validations": [{ "rule": "self.size > 0" }],
                "properties": {
                  "image": { "type": "string", "pattern": "^[a-z]+$", "maxLength": 20 },
                  "size": { "type": "integer", "minimum": 1, "maximum": 10, "default": 3 },
                  "mode": { "type": "string", "enum": ["fast", "slow"] },
                  "tags": { "type": "array", "maxItems": 2, "items": { "type": "string" } },
                  "quantity": { "x-kubernetes-int-or-string": true },
                  "labels": { "type": "object", "additionalProperties": { "type": "string" } },
                  "extra": { "type": "object", "x-kubernetes-preserve-unknown-fields": true },
                  "source": {
                    "type": "object",
                    "x-kubernetes-validations": [{ "rule": "self == oldSelf", "message": "source is immutable" }],
                    "properties": { "url": { "type": "string" } }
                  },
                  "target": {
                    "type": "object",
                    "x-kubernetes-validations": [{ "rule": "has(self.pvc) != has(self.snapshot)", "message": "exactly one of pvc or snapshot" }],
                    "properties": { "pvc": { "type": "string" }, "snapshot": { "type": "string" } }
                  }
                }
              },
              "status": { "type": "object", "properties": { "phase": { "type": "string" } } }
            }
          } }
        }]
      }
    }
    """;

    public static async Task RegisterAsync(TestApi api) =>
        await api.CreateAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Json);
}
