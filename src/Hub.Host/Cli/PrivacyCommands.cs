using System.CommandLine;
using System.Globalization;
using Hub.Deidentification.Profiles;

namespace Hub.Host.Cli;

/// <summary>
/// <c>hub privacy zip3-list --census FILE --version YEAR [--out FILE]</c>: computes a restricted-ZIP3 list from a
/// census table of ZCTA populations (data.census.gov's DHC P1 export, or <c>zcta,population</c> lines), so that the
/// list for the next census is made and reviewed the same way as the shipped one.
/// </summary>
internal static class PrivacyCommands
{
    public static Command Create()
    {
        var census = new Option<FileInfo>("--census") { Description = "CSV of ZCTA populations: the data.census.gov export of DHC table P1, or 'zcta,population' lines.", Required = true };
        var version = new Option<string>("--version") { Description = "The list version: the census year, e.g. 2020.", Required = true };
        var source = new Option<string?>("--source") { Description = "The table's citation, written into the list (default: the file name)." };
        var column = new Option<string>("--column") { Description = "The population column of a census export.", DefaultValueFactory = _ => "P1_001N" };
        var output = new Option<FileInfo?>("--out") { Description = "Where to write the list (default: standard output)." };
        var zip3List = new Command("zip3-list", "Compute a restricted-ZIP3 list (Safe Harbor: areas of 20,000 people or fewer become 000) from census ZCTA populations.")
        {
            census, version, source, column, output,
        };
        zip3List.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(census)!;
            try
            {
                Zip3Populations populations;
                using (var reader = file.OpenText())
                {
                    populations = Zip3Populations.Read(reader, file.Name, parse.GetValue(column)!);
                }

                var list = populations.ToRestrictedList(parse.GetValue(version)!, parse.GetValue(source) ?? file.Name);
                var json = populations.ToJson(list);
                var target = parse.GetValue(output);
                if (target is null)
                {
                    await Console.Out.WriteAsync(json).ConfigureAwait(false);
                }
                else
                {
                    await File.WriteAllTextAsync(target.FullName, json, ct).ConfigureAwait(false);
                }

                await Console.Error.WriteLineAsync(string.Format(
                    CultureInfo.InvariantCulture,
                    "{0}: {1:N0} ZCTAs, population {2:N0}, {3} prefixes with ZCTAs ({4} other rows skipped); restricted {5} ({6}), unpopulated {7}.",
                    file.Name, populations.ZctaCount, populations.Population, populations.Areas.Count, populations.SkippedRows,
                    list.Restricted.Count, string.Join(' ', list.Restricted.Order(StringComparer.Ordinal)), list.Unpopulated.Count)).ConfigureAwait(false);
                return 0;
            }
            catch (ProfileValidationException ex)
            {
                await ConfigCommands.WriteFailuresAsync(ex.Problems).ConfigureAwait(false);
                return 1;
            }
            catch (IOException ex)
            {
                await Console.Error.WriteLineAsync($"error: cannot read or write a file: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });

        var privacy = new Command("privacy", "Privacy reference data.");
        privacy.Subcommands.Add(zip3List);
        return privacy;
    }
}
