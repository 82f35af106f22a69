using System.Net;
using System.Net.Sockets;

namespace Hub.Host.Tests.Web;

/// <summary>Health endpoints over real HTTP on loopback.</summary>
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Given_a_running_hub_When_health_is_asked_Then_live_and_ready_answer_200()
    {
        var port = FreePort();
        var folder = Path.Combine(Path.GetTempPath(), "hub-health-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var app = HubApplication.Build(new HubRunSettings(null, Watch: false, Dispatch: false, Web: true, Overrides: new Dictionary<string, string?>
        {
            ["Hub:Web:Urls"] = $"http://127.0.0.1:{port}",
            ["Hub:Database:ConnectionString"] = $"Data Source={Path.Combine(folder, "hub.db")}",
        }));
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);

            HttpResponseMessage ready;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            do
            {
                ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }

                await Task.Delay(200);
            }
            while (DateTime.UtcNow < deadline);

            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
