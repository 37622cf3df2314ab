using System.Text.Json.Nodes;

namespace Imprint.Testing.FakeApiServer;

/// <summary>An error answered as a real <c>Status</c> body.</summary>
internal sealed class ApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonObject? Details { get; } = details;

    public static ApiException NotFound(ResourceKind kind, string name) =>
        new(404, "NotFound", $"{kind.QualifiedResource} \"{name}\" not found", ItemDetails(kind, name));

    public static ApiException NoSuchResource() =>
        new(404, "NotFound", "the server could not find the requested resource");

    public static ApiException AlreadyExists(ResourceKind kind, string name) =>
        new(409, "AlreadyExists", $"{kind.QualifiedResource} \"{name}\" already exists", ItemDetails(kind, name));

    public static ApiException Conflict(ResourceKind kind, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {kind.QualifiedResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            ItemDetails(kind, name));

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Expired(string message) => new(410, "Expired", message);

    public static ApiException Invalid(ResourceKind kind, string name, IReadOnlyList<FieldCause> causes)
    {
        var details = new JsonObject { ["name"] = name, ["group"] = kind.Group, ["kind"] = kind.Kind };
        var array = new JsonArray();
        foreach (var cause in causes)
            array.Add(new JsonObject { ["reason"] = cause.Reason, ["message"] = cause.Message, ["field"] = cause.Field });
        details["causes"] = array;
        var summary = string.Join(", ", causes.Select(c => $"{c.Field}: {c.Message}"));
        var qualifiedKind = kind.Group.Length == 0 ? kind.Kind : $"{kind.Kind}.{kind.Group}";
        return new(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: [{summary}]", details);
    }

    public JsonObject ToStatus() => StatusBodies.Failure(Code, Reason, Message, Details);

    private static JsonObject ItemDetails(ResourceKind kind, string name) =>
        new() { ["name"] = name, ["group"] = kind.Group, ["kind"] = kind.Plural };
}
