using System.CommandLine;
using Hub.Audit.Console;
using Hub.Audit.Storage;
using Hub.Host.Web.Console;
using Microsoft.AspNetCore.Identity;

namespace Hub.Host.Cli;

/// <summary><c>hub users add --name N --role R [--agency A] --password-stdin</c>: local accounts of the web console.</summary>
internal static class UsersCommands
{
    /// <summary>Shortest password accepted; the console shows PHI.</summary>
    public const int MinimumPasswordLength = 12;

    public static Command Create()
    {
        var users = new Command("users", "Web console accounts.");
        var add = new Command("add", "Add a console account. The password is read from the first line of standard input, never from an argument.");
        var name = new Option<string>("--name") { Description = "Sign-in name (also the ledger actor of the user's page views).", Required = true };
        var role = new Option<string>("--role") { Description = "feed-admin, recipient, privacy-officer or hub-admin.", Required = true };
        var agency = new Option<string?>("--agency") { Description = "For role recipient: the recipient (agency) id the user may see." };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input (required)." };
        add.Options.Add(name);
        add.Options.Add(role);
        add.Options.Add(agency);
        add.Options.Add(stdin);
        add.SetAction(async (parse, ct) =>
        {
            if (!parse.GetValue(stdin))
            {
                await Console.Error.WriteLineAsync("--password-stdin is required: passwords are never taken as arguments (they would land in shell history).").ConfigureAwait(false);
                return 2;
            }

            var password = (await Console.In.ReadLineAsync(ct).ConfigureAwait(false))?.TrimEnd('\r') ?? string.Empty;
            await using var app = HubApplication.Build(new HubRunSettings(HubCommandLine.ConfigFile(parse), Watch: false, Dispatch: false, Web: false));
            var code = await AddUserAsync(app.Services, parse.GetValue(name)!, parse.GetValue(role)!, parse.GetValue(agency), password, Console.Error, ct).ConfigureAwait(false);
            if (code == 0)
            {
                await Console.Out.WriteLineAsync($"added console user {parse.GetValue(name)} ({parse.GetValue(role)})").ConfigureAwait(false);
            }

            return code;
        });
        users.Subcommands.Add(add);
        return users;
    }

    /// <summary>
    /// Validates and stores an account with the framework's password hash. Returns the exit code: 0 added, 2 invalid
    /// input (written to <paramref name="errors"/>), 3 the name is taken.
    /// </summary>
    public static async Task<int> AddUserAsync(
        IServiceProvider services, string name, string role, string? agency, string password, TextWriter errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(errors);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100 || name.Any(char.IsControl))
        {
            problems.Add("--name must be 1 to 100 printable characters.");
        }

        if (!ConsoleRoles.All.Contains(role))
        {
            problems.Add("--role must be one of " + string.Join(", ", ConsoleRoles.All) + ".");
        }
        else if (role == ConsoleRoles.Recipient && string.IsNullOrWhiteSpace(agency))
        {
            problems.Add("--agency is required for role recipient (the recipient id whose notifications the user may see).");
        }
        else if (role != ConsoleRoles.Recipient && agency is not null)
        {
            problems.Add("--agency applies to role recipient only.");
        }

        if (password.Length < MinimumPasswordLength)
        {
            problems.Add($"The password must be at least {MinimumPasswordLength} characters.");
        }

        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await errors.WriteLineAsync(problem).ConfigureAwait(false);
            }

            return 2;
        }

        await services.GetRequiredService<HubDatabase>().MigrateAsync(cancellationToken).ConfigureAwait(false);
        var hasher = services.GetRequiredService<IPasswordHasher<ConsoleUser>>();
        var draft = new ConsoleUser(name, role, agency, string.Empty, services.GetRequiredService<TimeProvider>().GetUtcNow());
        var user = draft with { PasswordHash = hasher.HashPassword(draft, password) };
        try
        {
            await services.GetRequiredService<ConsoleUserStore>().AddAsync(user, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (ConsoleUserExistsException ex)
        {
            await errors.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 3;
        }
    }
}
