using Hub.Host.Bus;
using Hub.Host.Delivery;
using Microsoft.Extensions.Configuration;

namespace Hub.Host.Tests.Delivery;

/// <summary>The script form of `hub rabbitmq provision`: same permissions, passwords by reference only, guest and guests' leftovers handled.</summary>
public sealed class ProvisioningScriptTests
{
    [Fact]
    public void Given_two_queue_recipients_and_a_webhook_one_When_the_script_is_emitted_Then_it_names_env_variables_not_passwords()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hub:Recipients:0:Id"] = "team-a",
            ["Hub:Recipients:0:Delivery:QueuePassword"] = "secret-a-123",
            ["Hub:Recipients:1:Id"] = "hooked",
            ["Hub:Recipients:1:Delivery:Channel"] = "webhook",
            ["Hub:Recipients:2:Id"] = "team-b",
            ["Hub:Recipients:2:Delivery:QueuePassword"] = "secret-b-456",
        }).Build();
        var provisioner = new RabbitMqProvisioner(Options.Create(new BusOptions { VirtualHost = "hub", Username = "hub" }), new RecipientCredentials(config));

        var script = provisioner.Script("rabbit@broker");

        Assert.DoesNotContain("secret-a-123", script, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-b-456", script, StringComparison.Ordinal);
        Assert.Contains("${HUB__Recipients__0__Delivery__QueuePassword:?", script, StringComparison.Ordinal);
        Assert.Contains("${HUB__Recipients__2__Delivery__QueuePassword:?", script, StringComparison.Ordinal);
        Assert.DoesNotContain("hub-recipient-hooked", script, StringComparison.Ordinal);
        Assert.Contains("'set_permissions' '-p' 'hub' 'hub-recipient-team-b' '^hub\\.recipient\\.team-b(\\.replies)?$' '^hub\\.recipient\\.team-b\\.replies$' '^hub\\.recipient\\.team-b$'", script, StringComparison.Ordinal);
        Assert.Contains("case \"$u\" in hub-recipient-team-a|hub-recipient-team-b) ;; *) $CTL delete_user", script, StringComparison.Ordinal);
        Assert.Contains("clear_permissions -p 'hub' guest", script, StringComparison.Ordinal);
        Assert.Contains("rabbitmqctl -n rabbit@broker", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_queue_recipient_without_password_or_a_guest_hub_user_When_applied_Then_it_fails_before_any_command()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Hub:Recipients:0:Id"] = "team-a" }).Build();
        var calls = 0;
        RabbitMqCtl ctl = (_, _) =>
        {
            calls++;
            return Task.FromResult("");
        };

        var noPassword = new RabbitMqProvisioner(Options.Create(new BusOptions { Username = "hub" }), new RecipientCredentials(config));
        var guest = new RabbitMqProvisioner(Options.Create(new BusOptions { Username = "guest" }), new RecipientCredentials(config));

        var missing = await Assert.ThrowsAsync<RabbitMqProvisioningException>(() => noPassword.ApplyAsync(ctl, CancellationToken.None));
        Assert.Contains("team-a", missing.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RabbitMqProvisioningException>(() => guest.ApplyAsync(ctl, CancellationToken.None));
        Assert.Equal(0, calls);
    }
}
