using Microsoft.Extensions.Configuration;

namespace Imprint.Operator.Controllers.Configuration;

/// <summary>
/// The controllers' settings: the <c>Imprint</c> section of configuration, which the Helm chart writes as a JSON file
/// named by <c>IMPRINT_CONFIG</c> (environment variables such as <c>Imprint__Agent__Image</c> override it).
/// </summary>
public sealed class ImprintOptions
{
    public const string Section = "Imprint";
    public const string ConfigFileVariable = "IMPRINT_CONFIG";

    public bool LeaderElection { get; set; } = true;

    public AgentOptions Agent { get; set; } = new();

    public CloneOptions Clone { get; set; } = new();

    public StorageOptions Storage { get; set; } = new();

    public static ImprintOptions From(IConfiguration configuration)
    {
        var options = new ImprintOptions();
        configuration.GetSection(Section).Bind(options);
        return options;
    }
}
