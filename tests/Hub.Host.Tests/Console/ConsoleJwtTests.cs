using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hub.Audit.Ledger;
using Hub.Host.Web.Console;

namespace Hub.Host.Tests.Console;

/// <summary>Signs compact JWS tokens the way an identity provider would (HS256, RS256, ES256), with no JWT library.</summary>
internal static class TestJwt
{
    public static string Sign(string alg, Func<byte[], byte[]> signer, IReadOnlyDictionary<string, object?> claims, string? kid = null)
    {
        var header = new Dictionary<string, object?> { ["alg"] = alg, ["typ"] = "JWT" };
        if (kid is not null)
        {
            header["kid"] = kid;
        }

        var signed = Part(header) + "." + Part(claims);
        return signed + "." + Base64Url.EncodeToString(signer(Encoding.ASCII.GetBytes(signed)));
    }

    public static string Hs256(byte[] key, IReadOnlyDictionary<string, object?> claims, string? kid = null) =>
        Sign("HS256", data => HMACSHA256.HashData(key, data), claims, kid);

    public static string Rs256(RSA rsa, IReadOnlyDictionary<string, object?> claims) =>
        Sign("RS256", data => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), claims);

    public static string Es256(ECDsa ec, IReadOnlyDictionary<string, object?> claims) =>
        Sign("ES256", data => ec.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation), claims);

    /// <summary>Claims of a token from the county's provider, valid for the next ten minutes unless overridden.</summary>
    public static Dictionary<string, object?> Claims(string sub, string role, string? agency, Action<Dictionary<string, object?>>? change = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object?>
        {
            ["iss"] = ConsoleAdminHub.Issuer,
            ["aud"] = new[] { "other-api", ConsoleAdminHub.Audience },
            ["sub"] = sub,
            ["role"] = role,
            ["iat"] = now,
            ["nbf"] = now - 5,
            ["exp"] = now + 600,
        };
        if (agency is not null)
        {
            claims["agency"] = agency;
        }

        change?.Invoke(claims);
        return claims;
    }

    private static string Part(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));
}

/// <summary>
/// Bearer tokens for the console API over real HTTP against the hub on loopback: tokens signed here with the keys the
/// hub was configured with (and with others), and the agency claim scoping every notification.
/// </summary>
[Collection(ConsoleAdminCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ConsoleJwtTests(ConsoleAdminHub hub) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(hub.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _http.SendAsync(request);
    }

    public static TheoryData<string> Algorithms => new() { "HS256", "RS256", "ES256" };

    private string Token(string alg, Dictionary<string, object?> claims) => alg switch
    {
        "HS256" => TestJwt.Hs256(hub.HmacKey, claims, kid: "hs-1"),
        "RS256" => TestJwt.Rs256(hub.Rsa, claims),
        _ => TestJwt.Es256(hub.Ec, claims),
    };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task Given_a_valid_token_of_agency_A_When_it_calls_the_api_Then_it_sees_only_A_and_B_answers_404(string alg)
    {
        var token = Token(alg, TestJwt.Claims("a.rivera@montco.example", "recipient", ConsoleAdminHub.AgencyA));

        using var list = await GetAsync("/console/api/notifications", token);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        using var listed = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
        Assert.Equal(new[] { hub.NotificationA.ToString() }, listed.RootElement.EnumerateArray().Select(e => e.GetProperty("notificationId").GetString()));

        using var own = await GetAsync("/console/api/notifications/" + hub.NotificationA, token);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("Quill", await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var other = await GetAsync("/console/api/notifications/" + hub.NotificationB, token);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.DoesNotContain("Otherside", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Contains(await hub.LedgerAsync(), e => e.Content.Action == LedgerActions.Viewed && e.Content.Actor == "a.rivera@montco.example"
            && e.Content.RecipientId == ConsoleAdminHub.AgencyA && e.Content.CorrelationId == hub.NotificationA.ToString());
    }

    [Fact]
    public async Task Given_a_token_of_agency_B_When_it_asks_for_A_notification_Then_404_and_its_own_is_200()
    {
        var token = TestJwt.Es256(hub.Ec, TestJwt.Claims("b.user", "recipient", ConsoleAdminHub.AgencyB));
        using var a = await GetAsync("/console/api/notifications/" + hub.NotificationA, token);
        Assert.Equal(HttpStatusCode.NotFound, a.StatusCode);
        Assert.DoesNotContain("Quill", await a.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var b = await GetAsync("/console/api/notifications/" + hub.NotificationB, token);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
        Assert.Contains("Otherside", await b.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public static TheoryData<string> BadTokens => new() { "expired", "not-yet-valid", "wrong-audience", "wrong-issuer", "wrong-hmac-key", "wrong-rsa-key", "alg-none", "tampered", "hs256-with-rsa-public-key", "no-expiry", "garbage" };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Given_a_bad_token_When_it_calls_the_api_Then_401_with_invalid_token_and_no_data(string kind)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = TestJwt.Claims("mallory", "recipient", ConsoleAdminHub.AgencyA);
        string token;
        switch (kind)
        {
            case "expired":
                claims["exp"] = now - 3600; // beyond the 60 s clock skew
                token = TestJwt.Hs256(hub.HmacKey, claims);
                break;
            case "not-yet-valid":
                claims["nbf"] = now + 3600;
                token = TestJwt.Rs256(hub.Rsa, claims);
                break;
            case "wrong-audience":
                claims["aud"] = "some-other-api";
                token = TestJwt.Hs256(hub.HmacKey, claims);
                break;
            case "wrong-issuer":
                claims["iss"] = "https://idp.attacker.example";
                token = TestJwt.Es256(hub.Ec, claims);
                break;
            case "wrong-hmac-key":
                token = TestJwt.Hs256(RandomNumberGenerator.GetBytes(32), claims);
                break;
            case "wrong-rsa-key":
                using (var other = RSA.Create(2048))
                {
                    token = TestJwt.Rs256(other, claims);
                }

                break;
            case "alg-none":
                token = TestJwt.Sign("none", _ => [0], claims);
                break;
            case "tampered":
                var good = TestJwt.Hs256(hub.HmacKey, claims).Split('.');
                claims["agency"] = ConsoleAdminHub.AgencyB;
                var forged = TestJwt.Hs256(hub.HmacKey, claims).Split('.');
                token = good[0] + "." + forged[1] + "." + good[2];
                break;
            case "hs256-with-rsa-public-key":
                // The classic algorithm confusion: the RSA public key's PEM used as an HMAC secret.
                token = TestJwt.Hs256(Encoding.ASCII.GetBytes(hub.Rsa.ExportSubjectPublicKeyInfoPem()), claims);
                break;
            case "no-expiry":
                claims.Remove("exp");
                token = TestJwt.Hs256(hub.HmacKey, claims);
                break;
            default:
                token = "not.a.token";
                break;
        }

        using var response = await GetAsync("/console/api/notifications/" + hub.NotificationA, token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer" && h.Parameter == "error=\"invalid_token\"");
        Assert.DoesNotContain("Quill", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_no_credentials_When_the_api_is_called_Then_401_with_a_bearer_challenge()
    {
        using var response = await GetAsync("/console/api/notifications", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task Given_tokens_of_other_roles_When_they_call_apis_of_a_role_they_lack_Then_403()
    {
        var recipient = TestJwt.Hs256(hub.HmacKey, TestJwt.Claims("a.rivera", "recipient", ConsoleAdminHub.AgencyA));
        using var health = await GetAsync("/console/api/admin/health", recipient);
        Assert.Equal(HttpStatusCode.Forbidden, health.StatusCode);

        var admin = TestJwt.Rs256(hub.Rsa, TestJwt.Claims("h.admin", "hub-admin", null));
        using var adminHealth = await GetAsync("/console/api/admin/health", admin);
        Assert.Equal(HttpStatusCode.OK, adminHealth.StatusCode);
        using var report = JsonDocument.Parse(await adminHealth.Content.ReadAsStringAsync());
        Assert.Contains(report.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "database" && c.GetProperty("status").GetString() == "healthy");
        using var adminInbox = await GetAsync("/console/api/notifications", admin);
        Assert.Equal(HttpStatusCode.Forbidden, adminInbox.StatusCode);

        // A recipient token without the agency claim is never scoped to "all agencies".
        var unscoped = TestJwt.Hs256(hub.HmacKey, TestJwt.Claims("no.agency", "recipient", null));
        using var none = await GetAsync("/console/api/notifications", unscoped);
        Assert.Equal(HttpStatusCode.Forbidden, none.StatusCode);

        // A role the console does not know gives no access.
        var unknown = TestJwt.Hs256(hub.HmacKey, TestJwt.Claims("x", "superuser", ConsoleAdminHub.AgencyA));
        using var denied = await GetAsync("/console/api/notifications", unknown);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Given_a_cookie_of_agency_A_and_a_token_of_agency_B_on_one_request_When_the_api_is_called_Then_403_and_no_data()
    {
        var page = await hub.SignInAsync("alice");
        var token = TestJwt.Hs256(hub.HmacKey, TestJwt.Claims("b.user", "recipient", ConsoleAdminHub.AgencyB));
        var both = await page.Context.APIRequest.GetAsync("/console/api/notifications/" + hub.NotificationB, new() { Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token } });
        Assert.Equal(403, both.Status);
        Assert.DoesNotContain("Otherside", await both.TextAsync(), StringComparison.Ordinal);
        var cookieOnly = await page.Context.APIRequest.GetAsync("/console/api/notifications/" + hub.NotificationA);
        Assert.Equal(200, cookieOnly.Status);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Given_a_valid_token_When_it_is_sent_to_a_page_Then_pages_stay_cookie_only()
    {
        var token = TestJwt.Hs256(hub.HmacKey, TestJwt.Claims("a.rivera", "recipient", ConsoleAdminHub.AgencyA));
        using var page = await GetAsync("/console/inbox", token);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var location = page.Headers.Location!;
        Assert.StartsWith("/console/signin", location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString, StringComparison.Ordinal);
    }
}

/// <summary>The validator and the options checks without a server.</summary>
public sealed class ConsoleJwtValidatorTests
{
    private static ConsoleJwtValidator Validator(byte[] key, int skewSeconds = 60)
    {
        var options = new ConsoleJwtOptions { Issuer = ConsoleAdminHub.Issuer, Audience = ConsoleAdminHub.Audience, ClockSkewSeconds = skewSeconds };
        options.Keys.Add(new ConsoleJwtKeyOptions { SymmetricBase64 = Convert.ToBase64String(key) });
        return new ConsoleJwtValidator(Options.Create(options));
    }

    [Fact]
    public void Given_a_token_with_roles_in_an_array_When_validated_Then_known_roles_map_and_unknown_ones_are_dropped()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        using var validator = Validator(key);
        var claims = TestJwt.Claims("p.officer", "x", null, c => c["role"] = new[] { "privacy-officer", "root" });
        var result = validator.Validate(TestJwt.Hs256(key, claims), DateTimeOffset.UtcNow);
        Assert.Null(result.Failure);
        Assert.True(result.Principal!.IsInRole("privacy-officer"));
        Assert.False(result.Principal.IsInRole("root"));
        Assert.Equal("p.officer", result.Principal.Identity!.Name);
    }

    [Fact]
    public void Given_the_clock_skew_When_a_token_expired_moments_ago_Then_it_is_accepted_within_and_refused_beyond()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        using var validator = Validator(key, skewSeconds: 30);
        var exp = DateTimeOffset.UtcNow;
        var token = TestJwt.Hs256(key, TestJwt.Claims("u", "feed-admin", null, c => c["exp"] = exp.ToUnixTimeSeconds()));
        Assert.Null(validator.Validate(token, exp.AddSeconds(10)).Failure);
        Assert.Equal("token has expired", validator.Validate(token, exp.AddSeconds(31)).Failure);
    }

    [Fact]
    public void Given_bad_key_configuration_When_validated_Then_every_problem_is_listed()
    {
        var options = new ConsoleJwtOptions();
        options.Keys.Add(new ConsoleJwtKeyOptions { SymmetricBase64 = Convert.ToBase64String(new byte[16]) });
        options.Keys.Add(new ConsoleJwtKeyOptions { PublicKeyPem = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----" });
        using var small = RSA.Create(1024);
        options.Keys.Add(new ConsoleJwtKeyOptions { PublicKeyPem = small.ExportSubjectPublicKeyInfoPem() });
        options.Keys.Add(new ConsoleJwtKeyOptions { SymmetricBase64 = Convert.ToBase64String(new byte[32]), PublicKeyFile = "/nonexistent.pem" });
        var result = new ConsoleJwtOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.Contains("Issuer is required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Audience is required", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Keys:0: SymmetricBase64 is 16 bytes", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Keys:1: the PEM text is not an RSA or EC public key", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Keys:2: the RSA key has 1024 bits", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Keys:3: give exactly one of", StringComparison.Ordinal));
    }
}
