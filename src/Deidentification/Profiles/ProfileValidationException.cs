namespace Hub.Deidentification.Profiles;

/// <summary>A rule file (or several) is invalid; the hub must not start. Lists every problem found.</summary>
public sealed class ProfileValidationException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    /// <param name="problems">Every problem, each prefixed with its file.</param>
    public ProfileValidationException(IReadOnlyList<string> problems)
        : base(Format(problems))
    {
        Problems = problems;
    }

    /// <summary>Creates the exception with a message.</summary>
    public ProfileValidationException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ProfileValidationException(string message)
        : base(message)
    {
        Problems = [message];
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ProfileValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Problems { get; } = [];

    private static string Format(IReadOnlyList<string> problems) =>
        $"{problems.Count} problem(s) in disclosure rule files:{Environment.NewLine}- " + string.Join(Environment.NewLine + "- ", problems);
}
