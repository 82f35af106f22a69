using System.CommandLine;

namespace Hub.Host.Cli;

/// <summary><c>hub run</c> (the default): runs the hub until stopped.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run the hub until stopped: inbox watchers, the pipeline, delivery, HTTP (health, FHIR intake).");
        command.SetAction((parse, ct) => ExecuteAsync(parse, ct));
        return command;
    }

    public static async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            var app = HubApplication.Build(new HubRunSettings(HubCommandLine.ConfigFile(parse))).Validated();
            await app.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await ConfigCommands.WriteFailuresAsync(ex.Failures).ConfigureAwait(false);
            return 1;
        }
    }
}
