using Hub.Testing.Postgres;

namespace Hub.Audit.Tests.Storage;

/// <summary>
/// Each behaviour test class is abstract over <see cref="ITestEngine"/>; a SQLite and a PostgreSQL subclass run the
/// same facts, so both engines are held to one behaviour.
/// </summary>
public abstract class EngineTests(ITestEngine engine)
{
    protected ITestEngine Engine { get; } = engine;
}
