using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Hub.Adapters.Fhir;
using Hub.Audit.Console;
using Hub.Contracts.Sharing;
using Hub.Host.Pipeline;
using Hub.SampleData.Feeds;

namespace Hub.Host.Tests.Web;

/// <summary><c>POST /fhir</c> over real HTTP on loopback: authentication, media types, limits, FHIR answers, idempotency.</summary>
public sealed class FhirEndpointTests : IAsyncLifetime
{
    private const string KeyA = "key-of-hospital-a-0123456789";
    private const string KeyB = "key-of-hospital-b-9876543210";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hub-fhir-" + Guid.NewGuid().ToString("N")[..12]);
    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private byte[] _bundle = [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        var generated = Path.Combine(_folder, "generated");
        new SyntheticFeedGenerator(new SyntheticFeedOptions { Seed = 11, EmsCount = 4, EdCount = 4, CadCount = 2, OverdoseRate = 1.0 }).Generate(generated);
        _bundle = File.ReadAllBytes(Directory.GetFiles(Path.Combine(generated, SyntheticFeedGenerator.FhirBundleFolder)).Order(StringComparer.Ordinal).First());

        var port = FreePort();
        _app = HubApplication.Build(new HubRunSettings(null, Watch: false, Dispatch: false, Web: true, Overrides: new Dictionary<string, string?>
        {
            ["Hub:Web:Urls"] = $"http://127.0.0.1:{port}",
            ["Hub:Database:ConnectionString"] = $"Data Source={Path.Combine(_folder, "hub.db")}",
            ["Hub:Audit:CheckpointFolder"] = Path.Combine(_folder, "checkpoints"),
            ["Hub:Feeds:0:Id"] = "hospital-a",
            ["Hub:Feeds:0:Kind"] = "Fhir",
            ["Hub:Feeds:0:AgencyId"] = "hospital-a",
            ["Hub:Feeds:0:Fhir:ApiKeySha256"] = ApiKeyHash.Sha256Hex(KeyA),
            ["Hub:Feeds:0:Fhir:MaxRequestBytes"] = "200000",
            ["Hub:Feeds:1:Id"] = "hospital-b",
            ["Hub:Feeds:1:Kind"] = "Fhir",
            ["Hub:Feeds:1:AgencyId"] = "hospital-b",
            ["Hub:Feeds:1:Fhir:ApiKeySha256"] = ApiKeyHash.Sha256Hex(KeyB),
        }));
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    [Fact]
    public async Task Given_no_api_key_When_posting_Then_401_with_an_operation_outcome()
    {
        using var response = await _http.PostAsync(new Uri("/fhir", UriKind.Relative), Fhir(_bundle));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("OperationOutcome", await ResourceTypeAsync(response));
    }

    [Fact]
    public async Task Given_the_key_of_another_feed_When_posting_to_a_feed_Then_403()
    {
        using var request = Post("/fhir?feed=hospital-a", KeyB, Fhir(_bundle));
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("OperationOutcome", await ResourceTypeAsync(response));
    }

    [Fact]
    public async Task Given_a_non_json_media_type_When_posting_Then_415()
    {
        using var request = Post("/fhir", KeyA, new ByteArrayContent(_bundle) { Headers = { ContentType = new MediaTypeHeaderValue("text/plain") } });
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Given_malformed_json_When_posting_Then_400_naming_where()
    {
        using var request = Post("/fhir/Bundle", KeyA, Fhir(Encoding.UTF8.GetBytes("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[")));
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("OperationOutcome", json.RootElement.GetProperty("resourceType").GetString());
        Assert.True(json.RootElement.GetProperty("issue").GetArrayLength() > 0);
    }

    [Fact]
    public async Task Given_a_body_above_the_limit_When_posting_Then_413()
    {
        var big = Encoding.UTF8.GetBytes("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"id\":\"" + new string('x', 300_000) + "\"}");
        using var request = Post("/fhir", KeyA, Fhir(big));
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Given_an_ed_bundle_When_posted_twice_Then_it_is_accepted_once_and_the_resend_publishes_nothing()
    {
        var progress = _app.Services.GetRequiredService<PipelineProgress>();

        using (var first = Post("/fhir", KeyA, Fhir(_bundle)))
        using (var response = await _http.SendAsync(first))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        }

        var published = progress.Published;
        Assert.Equal(1, published);

        using (var again = Post("/fhir", KeyA, Fhir(_bundle)))
        using (var response = await _http.SendAsync(again))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(published, progress.Published);
    }

    [Fact]
    public async Task Given_a_key_created_in_the_console_When_used_and_then_revoked_Then_it_is_accepted_and_afterwards_401()
    {
        var store = _app.Services.GetRequiredService<IFeedApiKeyStore>();
        var created = await store.CreateAsync("hospital-b", "bridge", "feed-admin-1", CancellationToken.None);

        using (var request = Post("/fhir?feed=hospital-b", created.Secret, Fhir(_bundle)))
        using (var response = await _http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Bundle", await ResourceTypeAsync(response));
        }

        using (var request = Post("/fhir?feed=hospital-a", created.Secret, Fhir(_bundle)))
        using (var response = await _http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.True(await store.RevokeAsync(created.Info.KeyId, "feed-admin-1", CancellationToken.None));

        using (var request = Post("/fhir", created.Secret, Fhir(_bundle)))
        using (var response = await _http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("OperationOutcome", await ResourceTypeAsync(response));
        }
    }

    [Fact]
    public async Task Given_an_unknown_console_style_key_When_posting_Then_401()
    {
        using var request = Post("/fhir", SqlFeedApiKeyStore.KeyPrefix + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", Fhir(_bundle));
        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static ByteArrayContent Fhir(byte[] body) =>
        new(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/fhir+json") } };

    private static HttpRequestMessage Post(string path, string key, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Add("X-API-Key", key);
        return request;
    }

    private static async Task<string?> ResourceTypeAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("resourceType").GetString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
