using Imprint.Agent.Customization.Passwords;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Customization;

public sealed class ShaCryptTests
{
    // Test vectors published with Ulrich Drepper's SHA-crypt specification.
    [Theory]
    [InlineData("Hello world!", "saltstring", null, "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1")]
    [InlineData("Hello world!", "saltstringsaltstring", 10000, "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.")]
    [InlineData("This is just a test", "toolongsaltstring", 5000, "$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0")]
    [InlineData("we have a short salt string but not a short password", "short", 77777, "$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0")]
    [InlineData("a short string", "asaltof16chars..", 123456, "$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1")]
    [InlineData("the minimum number is still observed", "roundstoolow", 10, "$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.")]
    public void Matches_the_specification_vectors(string password, string salt, int? rounds, string expected) =>
        Assert.Equal(expected, ShaCrypt.Hash(password, salt, rounds));

    [Theory]
    [InlineData("demo-password", "abcdefgh")]
    [InlineData("pässwörd ✓ unicode", "XyZ./0123456789a")]
    [InlineData("a", "s")]
    [InlineData("a very long password that is longer than sixty-four bytes to cover the block loop ......", "longsalt")]
    public void Matches_openssl_passwd_6(string password, string salt)
    {
        var openssl = Sh.RunResult("openssl", ["passwd", "-6", "-salt", salt, "-stdin"], stdin: password + "\n").StandardOutput.Trim();

        Assert.Equal(openssl, ShaCrypt.Hash(password, salt, null));
    }

    [Fact]
    public void Random_salts_differ_and_use_the_crypt_alphabet()
    {
        var a = ShaCrypt.Hash("x");
        var b = ShaCrypt.Hash("x");

        Assert.NotEqual(a, b);
        Assert.Matches("^\\$6\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}$", a);
    }
}
