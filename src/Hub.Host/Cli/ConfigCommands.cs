using System.CommandLine;

namespace Hub.Host.Cli;

/// <summary><c>hub config validate</c>: checks every options section and rule file, listing every problem.</summary>
internal static class ConfigCommands
{
    public static Command Create()
    {
        var config = new Command("config", "Configuration.");
        var validate = new Command("validate", "Validate the configuration (feeds, recipients, agreements, profiles, bus, database) and list every problem.");
        validate.SetAction(async (parse, ct) =>
        {
            try
            {
                HubApplication.Build(new HubRunSettings(HubCommandLine.ConfigFile(parse), Watch: false, Dispatch: false, Web: false)).Validated();
                await Console.Out.WriteLineAsync("Configuration is valid.").ConfigureAwait(false);
                return 0;
            }
            catch (OptionsValidationException ex)
            {
                await WriteFailuresAsync(ex.Failures).ConfigureAwait(false);
                return 1;
            }
            catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
            {
                await WriteFailuresAsync(ex.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures)).ConfigureAwait(false);
                return 1;
            }
        });
        config.Subcommands.Add(validate);
        return config;
    }

    public static async Task WriteFailuresAsync(IEnumerable<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var list = failures.ToList();
        await Console.Error.WriteLineAsync($"Configuration is invalid ({list.Count} problem(s)):").ConfigureAwait(false);
        foreach (var failure in list)
        {
            await Console.Error.WriteLineAsync("  - " + failure).ConfigureAwait(false);
        }
    }
}
