namespace Imprint.Agent.Tests.Support;

/// <summary>An IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool and races asserts).</summary>
public sealed class SynchronousProgress<T>(Action<T> onReport) : IProgress<T>
{
    public void Report(T value) => onReport(value);
}
