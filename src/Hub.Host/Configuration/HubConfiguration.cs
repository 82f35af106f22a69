namespace Hub.Host.Configuration;

/// <summary>
/// Where the hub's configuration comes from, in increasing precedence: appsettings.json beside the executable,
/// appsettings.json in the working folder, an optional <c>--config FILE</c>, then <c>HUB__…</c> environment
/// variables (<c>HUB__Bus__Password</c> sets <c>Hub:Bus:Password</c>). Secrets belong in the environment.
/// </summary>
internal static class HubConfiguration
{
    public const string EnvironmentPrefix = "HUB__";

    public static void Apply(IConfigurationBuilder builder, string? configFile)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Sources.Clear();
        builder.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        builder.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true, reloadOnChange: false);
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                throw new FileNotFoundException($"Configuration file not found: {full}", full);
            }

            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
        }

        // HUB__Bus__Host becomes HUB:Bus:Host, which is Hub:Bus:Host (keys are case-insensitive). Only the
        // HUB__ variables matter; the others land outside the Hub section and are never read.
        builder.AddEnvironmentVariables();
    }

    /// <summary>Folder that relative paths in a configuration file are resolved against (the file's folder).</summary>
    public static string BaseFolder(string? configFile) =>
        configFile is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(configFile))!;
}
