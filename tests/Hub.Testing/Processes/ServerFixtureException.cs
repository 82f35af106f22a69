namespace Hub.Testing.Processes;

/// <summary>
/// A real-server fixture could not start, answer or stop. The message says what to install or where the server's log is,
/// so a failing integration test explains itself instead of being skipped.
/// </summary>
public sealed class ServerFixtureException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ServerFixtureException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ServerFixtureException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ServerFixtureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
