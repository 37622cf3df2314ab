using Imprint.Agent.Customization.Edits;
using Imprint.Agent.Tests.Support;

namespace Imprint.Agent.Tests.Customization.Edits;

public sealed class ShellSyntaxTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("echo \"unterminated", "not valid POSIX sh: Syntax error: Unterminated quoted string")]
    [InlineData("if true; then", "not valid POSIX sh: Syntax error: end of file unexpected (expecting \"fi\")")]
    [InlineData("echo )", "not valid POSIX sh: Syntax error: \")\" unexpected")]
    [InlineData("echo $(date", "not valid POSIX sh: Syntax error: end of file unexpected (expecting \")\")")]
    [InlineData("echo hi; }; { echo", "not valid POSIX sh: Syntax error: \"}\" unexpected")]
    [InlineData("cat <<EOF", "leaves a here-document or a block open past the end of the line; put a multi-line script in a files entry and run that")]
    [InlineData("cat <<EOF; echo later", "leaves a here-document or a block open past the end of the line; put a multi-line script in a files entry and run that")]
    public void A_command_that_breaks_the_script_is_refused_with_the_reason(string command, string reason) =>
        Assert.Equal(reason, ShellSyntax.Problem(command));

    [Theory]
    [InlineData("echo 'single' \"double\" `date` $(id -u) $((1 + 2))")]
    [InlineData("case $(uname) in Linux) echo l ;; *) echo o ;; esac")]
    [InlineData("if [ -f /etc/os-release ]; then . /etc/os-release; fi")]
    [InlineData("(cd /tmp && ls) | sort -r > /dev/null 2>&1 &")]
    [InlineData("echo } # a comment")]
    [InlineData("exit 3")]
    public void Complete_commands_are_accepted(string command) => Assert.Null(ShellSyntax.Problem(command));

    [Fact]
    public void The_script_of_accepted_commands_passes_sh_n_and_the_script_of_a_refused_one_does_not()
    {
        // The oracle: the host's /bin/sh parsing the script exactly as the guest's unit would run it.
        string[] accepted = ["echo \"a b\"", "for i in 1 2; do echo $i; done", "exit 0"];
        string[] refused = ["echo ok", "echo \"unterminated", "echo never"];
        Assert.All(accepted, c => Assert.Null(ShellSyntax.Problem(c)));
        Assert.NotNull(ShellSyntax.Problem(refused[1]));

        Assert.Equal(0, ShN(FirstBootUnit.Script(accepted)));
        Assert.NotEqual(0, ShN(FirstBootUnit.Script(refused)));
    }

    private int ShN(string script)
    {
        var path = _temp.File("firstboot-" + Guid.NewGuid().ToString("N") + ".sh");
        File.WriteAllText(path, script);
        return Sh.RunResult("sh", ["-n", path], accept: [0, 1, 2]).ExitStatus;
    }
}
