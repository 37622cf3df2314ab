using Imprint.Agent.Customization.Passwords;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Customization.Passwords;

public sealed class ShaCryptTests
{
    // The SHA-512 test vectors published with Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512" specification.
    [Theory]
    [InlineData("Hello world!", "saltstring", null, "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1")]
    [InlineData("Hello world!", "saltstringsaltstring", 10000, "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.")]
    [InlineData("This is just a test", "toolongsaltstring", 5000, "$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0")]
    [InlineData("a very much longer text to encrypt.  This one even stretches over morethan one line.", "anotherlongsaltstring", 1400, "$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1")]
    [InlineData("we have a short salt string but not a short password", "short", 77777, "$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0")]
    [InlineData("a short string", "asaltof16chars..", 123456, "$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1")]
    [InlineData("the minimum number is still observed", "roundstoolow", 10, "$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.")]
    public void Matches_the_specification_vectors(string password, string salt, int? rounds, string expected) =>
        Assert.Equal(expected, ShaCrypt.Hash(password, salt, rounds));

    [Theory]
    [InlineData("demo-password", "abcdefgh")]
    [InlineData("pässwörd ✓ unicode ☃ 日本語", "XyZ./0123456789a")]
    [InlineData("a", "s")]
    [InlineData("with spaces and $pecial:chars\\ and 'quotes\"", "q./Q")]
    [InlineData("a very long password that is longer than sixty-four bytes to cover the block loop ................ and then some more, past 128 bytes of input too", "longsalt")]
    public void Matches_openssl_passwd_6(string password, string salt)
    {
        var openssl = Sh.RunResult("openssl", ["passwd", "-6", "-salt", salt, "-stdin"], stdin: password + "\n").StandardOutput.Trim();

        Assert.Equal(openssl, ShaCrypt.Hash(password, salt, null));
    }

    [Theory]
    [InlineData("", "emptypassword", null)]
    [InlineData("libc crypt oracle ✓", "perlsalt", 2500)]
    public void Matches_the_c_library_crypt_through_perl(string password, string salt, int? rounds)
    {
        // openssl refuses an empty password, so the C library's crypt(3) (via perl) is the oracle here.
        var setting = rounds is null ? $"$6${salt}$" : $"$6$rounds={rounds}${salt}$";
        var libc = Sh.RunResult("perl", ["-CA", "-e", "use utf8; utf8::encode($ARGV[0]); print crypt($ARGV[0], $ARGV[1])", password, setting]).StandardOutput;

        Assert.Equal(libc, ShaCrypt.Hash(password, salt, rounds));
    }

    [Fact]
    public void Explicit_rounds_match_openssl_with_a_rounds_salt()
    {
        // openssl reads "rounds=N$salt" as glibc does.
        var openssl = Sh.RunResult("openssl", ["passwd", "-6", "-salt", "rounds=12345$r0unds", "-stdin"], stdin: "rounds test\n").StandardOutput.Trim();

        Assert.Equal(openssl, ShaCrypt.Hash("rounds test", "r0unds", 12345));
    }

    [Fact]
    public void Random_salts_differ_and_use_the_crypt_alphabet()
    {
        var a = ShaCrypt.Hash("x");
        var b = ShaCrypt.Hash("x");

        Assert.NotEqual(a, b);
        Assert.Matches("^\\$6\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}$", a);
    }

    [Fact]
    public void Rounds_below_the_minimum_are_raised_to_1000() =>
        Assert.Equal(ShaCrypt.Hash("x", "s", 1000), ShaCrypt.Hash("x", "s", 1));

    [Fact]
    public void A_salt_outside_the_crypt_alphabet_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ShaCrypt.Hash("x", "bad$salt", null));
        Assert.Throws<ArgumentException>(() => ShaCrypt.Hash("x", "bad:salt", null));
    }

    [Fact]
    public void Verify_accepts_the_right_password_only()
    {
        var hash = ShaCrypt.Hash("s3cret");
        var withRounds = ShaCrypt.Hash("s3cret", "abc", 2000);
        var openssl = Sh.RunResult("openssl", ["passwd", "-6", "-salt", "fromopenssl", "-stdin"], stdin: "s3cret\n").StandardOutput.Trim();

        Assert.True(ShaCrypt.Verify("s3cret", hash));
        Assert.True(ShaCrypt.Verify("s3cret", withRounds));
        Assert.True(ShaCrypt.Verify("s3cret", openssl));
        Assert.False(ShaCrypt.Verify("s3cret!", hash));
        Assert.False(ShaCrypt.Verify("s3cret", "$5$abc$def"));
        Assert.False(ShaCrypt.Verify("s3cret", "!" + hash));
        Assert.False(ShaCrypt.Verify("s3cret", "garbage"));
    }
}
