using System.CommandLine;

namespace Hub.Host.Cli;

/// <summary>The <c>hub</c> command line. Every command takes <c>--config FILE</c>.</summary>
internal static class HubCommandLine
{
    public static readonly Option<FileInfo?> ConfigOption = new("--config")
    {
        Description = "A JSON configuration file (layered over appsettings.json; HUB__… environment variables win).",
        Recursive = true,
    };

    public static RootCommand Create()
    {
        var root = new RootCommand("Overdose Data Hub: ingest EMS, ED and police feeds, detect overdoses, and route one lawful notification per person-episode to outreach agencies.");
        root.Options.Add(ConfigOption);

        var run = RunCommand.Create();
        root.Subcommands.Add(run);
        root.SetAction((parse, ct) => RunCommand.ExecuteAsync(parse, ct));
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(IngestCommand.Create());
        root.Subcommands.Add(FeedsCommands.Create());
        root.Subcommands.Add(ConfigCommands.Create());
        root.Subcommands.Add(SamplesCommand.Create());
        root.Subcommands.Add(RabbitMqCommands.Create());
        root.Subcommands.Add(UsersCommands.Create());
        root.Subcommands.Add(AuditCommands.Create());
        root.Subcommands.Add(PrivacyCommands.Create());
        return root;
    }

    public static string? ConfigFile(ParseResult parse) => parse.GetValue(ConfigOption)?.FullName;
}
