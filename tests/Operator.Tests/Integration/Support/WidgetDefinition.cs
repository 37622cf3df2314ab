using System.Text.Json.Nodes;

namespace Imprint.Operator.Tests.Integration.Support;

/// <summary>The CRD of the runtime tests' <c>TestWidget</c> (test.imprint.dev/v1 widgets), with a status subresource.</summary>
public static class WidgetDefinition
{
    public static JsonObject Crd() => JsonNode.Parse("""
    {
      "apiVersion": "apiextensions.k8s.io/v1",
      "kind": "CustomResourceDefinition",
      "metadata": { "name": "widgets.test.imprint.dev" },
      "spec": {
        "group": "test.imprint.dev",
        "scope": "Namespaced",
        "names": { "plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList" },
        "versions": [{
          "name": "v1", "served": true, "storage": true,
          "subresources": { "status": {} },
          "schema": { "openAPIV3Schema": {
            "type": "object",
            "properties": {
              "apiVersion": { "type": "string" },
              "kind": { "type": "string" },
              "metadata": { "type": "object" },
              "spec": { "type": "object", "properties": { "size": { "type": "integer" } } },
              "status": { "type": "object", "properties": { "phase": { "type": "string" } } }
            }
          } }
        }]
      }
    }
    """)!.AsObject();
}
