namespace Imprint.Operator.Tests.Runtime.Support;

/// <summary>Polls a condition that background loops make true (a generous deadline: CI machines are often loaded).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, double seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {seconds} s waiting for: {what}");
            }

            await Task.Delay(10);
        }
    }
}
