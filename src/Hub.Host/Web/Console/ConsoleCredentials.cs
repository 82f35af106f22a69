using Hub.Audit.Console;
using Microsoft.AspNetCore.Identity;

namespace Hub.Host.Web.Console;

/// <summary>
/// Checks a console account's name and password against the stored hash: the one check behind the console's sign-in
/// and the privacy officer's CLI commands (<c>hub audit accounting</c>, <c>hub audit disclosures</c>).
/// </summary>
internal static class ConsoleCredentials
{
    /// <summary>The account when the name exists and the password matches its hash; otherwise null.</summary>
    public static async Task<ConsoleUser?> VerifyAsync(
        ConsoleUserStore users, IPasswordHasher<ConsoleUser> hasher, string? name, string? password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(hasher);
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(password))
        {
            return null;
        }

        var user = await users.FindAsync(name, cancellationToken).ConfigureAwait(false);
        return user is not null && hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed
            ? user
            : null;
    }
}
