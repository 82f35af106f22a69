using Hub.Host.Cli;
using Hub.Host.Web.Console;

namespace Hub.Host.Tests.Console;

/// <summary>The console's pieces that need no browser: account rules and the disclosed-JSON table.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleUnitTests(ConsoleHub hub)
{
    [Theory]
    [InlineData("carol", "recipient", null, "correct horse battery", 2)]
    [InlineData("carol", "auditor-ish", null, "correct horse battery", 2)]
    [InlineData("carol", "privacy-officer", "montco-post", "correct horse battery", 2)]
    [InlineData("carol", "privacy-officer", null, "short", 2)]
    [InlineData("alice", "recipient", "montco-post", "correct horse battery", 3)]
    public async Task Given_an_invalid_or_taken_account_When_it_is_added_Then_the_exit_code_says_why(string name, string role, string? agency, string password, int expected)
    {
        using var errors = new StringWriter();
        Assert.Equal(expected, await UsersCommands.AddUserAsync(hub.App.Services, name, role, agency, password, errors, CancellationToken.None));
        Assert.NotEmpty(errors.ToString());
        Assert.DoesNotContain(password, errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_nested_payload_When_flattened_Then_every_leaf_appears_with_its_path_in_order()
    {
        var rows = NotificationView.Flatten("""{"a":1,"b":{"c":"x","d":null},"e":["p","q"],"f":[]}""");
        Assert.Equal(
            new[] { ("a", "1"), ("b.c", "x"), ("b.d", "(not disclosed)"), ("e[0]", "p"), ("e[1]", "q"), ("f", "(none)") },
            rows);
    }

    [Fact]
    public void Given_markup_in_a_value_When_written_Then_it_is_encoded()
    {
        var html = new Html().Raw("<td>").Text("<script>alert('x')</script>").Raw("</td>").ToString();
        Assert.Equal("<td>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</td>", html);
    }
}
