using Hub.Testing;

namespace Hub.Host.Tests.Deployment;

/// <summary>
/// docker-compose.yml is for deployers (there is no Docker engine on the build machines): this checks its shape,
/// so a refactoring of configuration keys cannot silently break it.
/// </summary>
public sealed class DockerComposeTests
{
    private static readonly string ComposeFile = Path.Combine(ExternalData.RepositoryRoot, "docker-compose.yml");

    [Fact]
    public void Given_the_compose_file_When_parsed_Then_it_defines_rabbitmq_with_management_postgres_and_the_hub()
    {
        var services = ParseServices(File.ReadAllLines(ComposeFile));

        Assert.Equal(["hub", "postgres", "rabbitmq"], services.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("image: rabbitmq:3.13-management", services["rabbitmq"]);
        Assert.Contains(services["postgres"], l => l.StartsWith("image: postgres:", StringComparison.Ordinal));
        Assert.Contains("build: .", services["hub"]);
        Assert.True(File.Exists(Path.Combine(ExternalData.RepositoryRoot, "Dockerfile")));
    }

    [Fact]
    public void Given_the_hub_service_When_its_environment_is_read_Then_it_uses_keys_the_hub_binds()
    {
        var hub = ParseServices(File.ReadAllLines(ComposeFile))["hub"];
        var environment = hub.Where(l => l.StartsWith("HUB__", StringComparison.Ordinal))
            .Select(l => l.Split(':', 2)[0])
            .ToList();

        Assert.Contains("HUB__Bus__Transport", environment);
        Assert.Contains("HUB__Database__Provider", environment);
        Assert.Contains("HUB__Database__ConnectionString", environment);

        // Every key maps onto a real options property of the hub.
        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Bus:Transport", "Bus:Host", "Bus:Port", "Bus:VirtualHost", "Bus:Username", "Bus:Password", "Bus:UseTls",
            "Database:Provider", "Database:ConnectionString", "Web:Urls",
        };
        foreach (var key in environment)
        {
            Assert.Contains(key["HUB__".Length..].Replace("__", ":", StringComparison.Ordinal), known);
            var property = key.Split("__").Last();
            var type = key.Contains("__Bus__", StringComparison.Ordinal) ? typeof(Hub.Host.Bus.BusOptions) : typeof(Hub.Audit.Storage.DatabaseOptions);
            Assert.NotNull(type.GetProperty(property));
        }
    }

    /// <summary>A minimal reader of the compose layout: service name → its trimmed lines.</summary>
    private static Dictionary<string, List<string>> ParseServices(string[] lines)
    {
        var services = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var inServices = false;
        List<string>? current = null;
        foreach (var raw in lines)
        {
            if (raw.TrimStart().StartsWith('#') || raw.Trim().Length == 0)
            {
                continue;
            }

            var indent = raw.Length - raw.TrimStart().Length;
            if (indent == 0)
            {
                inServices = raw.TrimEnd() == "services:";
                current = null;
                continue;
            }

            if (!inServices)
            {
                continue;
            }

            if (indent == 2 && raw.TrimEnd().EndsWith(':'))
            {
                current = [];
                services[raw.Trim().TrimEnd(':')] = current;
            }
            else
            {
                current?.Add(raw.Trim());
            }
        }

        return services;
    }
}
