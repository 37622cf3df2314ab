namespace Imprint.Agent.Results;

/// <summary>One change made (or planned, in a dry run) inside the guest: which operation, which path, what happened.</summary>
public sealed record ChangeReport(string Operation, string Path, string Action);
