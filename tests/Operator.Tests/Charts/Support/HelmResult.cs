namespace Imprint.Operator.Tests.Charts.Support;

internal sealed record HelmResult(int ExitCode, string Output, string Error);
