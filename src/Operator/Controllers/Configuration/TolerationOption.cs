namespace Imprint.Operator.Controllers.Configuration;

/// <summary>A pod toleration for agent Jobs, as in a Pod spec.</summary>
public sealed class TolerationOption
{
    public string? Key { get; set; }

    public string? Operator { get; set; }

    public string? Value { get; set; }

    public string? Effect { get; set; }

    public long? TolerationSeconds { get; set; }
}
