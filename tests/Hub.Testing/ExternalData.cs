using Xunit;

namespace Hub.Testing;

/// <summary>
/// Locates the public test data written by others (../shared/external). The path comes from the
/// <c>HUB_EXTERNAL_DATA</c> environment variable, else <c>../shared/external</c> beside the repository root.
/// When it is absent, tests marked <see cref="ExternalDataFactAttribute"/> report themselves skipped with the reason.
/// </summary>
public static class ExternalData
{
    /// <summary>The environment variable that overrides the folder.</summary>
    public const string EnvironmentVariable = "HUB_EXTERNAL_DATA";

    private static readonly Lazy<string?> RootPath = new(Locate);

    /// <summary>The folder, or null when absent.</summary>
    public static string? Root => RootPath.Value;

    /// <summary>Why external-data tests are skipped, or null when the folder exists.</summary>
    public static string? SkipReason => Root is null
        ? $"External test data not found: set {EnvironmentVariable} or place it at ../shared/external beside the repository."
        : null;

    /// <summary>The full path of a file or folder under the external data root; throws when the root is absent.</summary>
    public static string PathOf(params string[] parts)
    {
        var root = Root ?? throw new InvalidOperationException(SkipReason);
        return Path.Combine([root, .. parts]);
    }

    /// <summary>The repository root (the folder holding Hub.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string? Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Directory.Exists(fromEnvironment) ? Path.GetFullPath(fromEnvironment) : null;
        }

        var candidate = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "external"));
        return Directory.Exists(candidate) ? candidate : null;
    }

    private static string FindRepositoryRoot()
    {
        var built = typeof(ExternalData).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .OfType<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (built is not null && File.Exists(Path.Combine(built, "Hub.sln")))
        {
            return Path.GetFullPath(built);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hub.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}

/// <summary>A fact that needs ../shared/external; skipped with the reason when it is absent.</summary>
public sealed class ExternalDataFactAttribute : FactAttribute
{
    /// <summary>Creates the attribute.</summary>
    public ExternalDataFactAttribute()
    {
        if (ExternalData.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs ../shared/external; skipped with the reason when it is absent.</summary>
public sealed class ExternalDataTheoryAttribute : TheoryAttribute
{
    /// <summary>Creates the attribute.</summary>
    public ExternalDataTheoryAttribute()
    {
        if (ExternalData.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
