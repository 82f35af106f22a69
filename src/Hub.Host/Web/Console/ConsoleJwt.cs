using System.Buffers.Text;
using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;

namespace Hub.Host.Web.Console;

/// <summary>
/// Bearer tokens for the console API (section <c>Hub:Console:Jwt</c>), so an agency can call <c>/console/api/**</c> with
/// tokens from its own identity provider. Keys are configured offline (no metadata fetch): a hub that cannot reach the
/// provider still verifies, and a compromised network cannot swap the keys.
/// </summary>
internal sealed class ConsoleJwtOptions
{
    public const string Section = "Hub:Console:Jwt";

    /// <summary>The <c>iss</c> every token must carry (exact match).</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> every token must carry (string or one of an array).</summary>
    public string? Audience { get; set; }

    /// <summary>Verification keys; none configured means bearer tokens are ignored.</summary>
    public IList<ConsoleJwtKeyOptions> Keys { get; } = [];

    /// <summary>The claim whose value becomes the user name (ledger actor).</summary>
    public string NameClaim { get; set; } = "sub";

    /// <summary>The claim carrying the console role(s) (string or array): feed-admin, recipient, privacy-officer, hub-admin.</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>The claim carrying the agency (recipient id) a recipient is scoped to.</summary>
    public string AgencyClaim { get; set; } = "agency";

    /// <summary>Tolerance for <c>exp</c> and <c>nbf</c> between the provider's clock and the hub's.</summary>
    [Range(0, 600)]
    public int ClockSkewSeconds { get; set; } = 60;

    public bool Enabled => Keys.Count > 0;
}

/// <summary>One verification key: exactly one of a symmetric secret (HS256), a PEM public key or a PEM file (RS256 / ES256).</summary>
internal sealed class ConsoleJwtKeyOptions
{
    /// <summary>Optional <c>kid</c>: when both the key and the token name one, they must match.</summary>
    public string? KeyId { get; set; }

    /// <summary>HS256 secret, base64, at least 32 bytes. Secret: set it from the environment.</summary>
    public string? SymmetricBase64 { get; set; }

    /// <summary>An RSA (2048 bits or more) or EC P-256 public key, PEM text.</summary>
    public string? PublicKeyPem { get; set; }

    /// <summary>A file holding such a PEM public key.</summary>
    public string? PublicKeyFile { get; set; }
}

/// <summary>Lists every problem with <see cref="ConsoleJwtOptions"/> at start.</summary>
internal sealed class ConsoleJwtOptionsValidator : IValidateOptions<ConsoleJwtOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsoleJwtOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            failures.Add($"{ConsoleJwtOptions.Section}:Issuer is required when keys are configured.");
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add($"{ConsoleJwtOptions.Section}:Audience is required when keys are configured.");
        }

        foreach (var (claim, label) in new[] { (options.NameClaim, "NameClaim"), (options.RoleClaim, "RoleClaim"), (options.AgencyClaim, "AgencyClaim") })
        {
            if (string.IsNullOrWhiteSpace(claim))
            {
                failures.Add($"{ConsoleJwtOptions.Section}:{label} must name a claim.");
            }
        }

        for (var i = 0; i < options.Keys.Count; i++)
        {
            try
            {
                using var key = ConsoleJwtKey.Load(options.Keys[i]);
            }
            catch (ConsoleJwtConfigurationException ex)
            {
                failures.Add($"{ConsoleJwtOptions.Section}:Keys:{i}: {ex.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>A key in <c>Hub:Console:Jwt:Keys</c> that cannot be used.</summary>
internal sealed class ConsoleJwtConfigurationException : Exception
{
    public ConsoleJwtConfigurationException()
    {
    }

    public ConsoleJwtConfigurationException(string message)
        : base(message)
    {
    }

    public ConsoleJwtConfigurationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// A loaded verification key. The key's type fixes the one algorithm it verifies, so a token cannot choose a weaker
/// one (no <c>none</c>, no HS256 signed with an RSA public key as the secret).
/// </summary>
internal sealed class ConsoleJwtKey : IDisposable
{
    private readonly byte[]? _secret;
    private readonly RSA? _rsa;
    private readonly ECDsa? _ec;

    private ConsoleJwtKey(string? keyId, string algorithm, byte[]? secret, RSA? rsa, ECDsa? ec)
    {
        KeyId = string.IsNullOrWhiteSpace(keyId) ? null : keyId;
        Algorithm = algorithm;
        _secret = secret;
        _rsa = rsa;
        _ec = ec;
    }

    public string? KeyId { get; }

    /// <summary>HS256, RS256 or ES256.</summary>
    public string Algorithm { get; }

    public static ConsoleJwtKey Load(ConsoleJwtKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var given = new[] { options.SymmetricBase64, options.PublicKeyPem, options.PublicKeyFile }.Count(v => !string.IsNullOrWhiteSpace(v));
        if (given != 1)
        {
            throw new ConsoleJwtConfigurationException("give exactly one of SymmetricBase64, PublicKeyPem, PublicKeyFile.");
        }

        if (!string.IsNullOrWhiteSpace(options.SymmetricBase64))
        {
            var buffer = new byte[options.SymmetricBase64.Length];
            if (!Convert.TryFromBase64String(options.SymmetricBase64.Trim(), buffer, out var length))
            {
                throw new ConsoleJwtConfigurationException("SymmetricBase64 is not valid base64.");
            }

            return length < 32
                ? throw new ConsoleJwtConfigurationException($"SymmetricBase64 is {length} bytes; HS256 needs at least 32.")
                : new ConsoleJwtKey(options.KeyId, "HS256", buffer[..length], null, null);
        }

        string pem;
        if (!string.IsNullOrWhiteSpace(options.PublicKeyFile))
        {
            try
            {
                pem = File.ReadAllText(options.PublicKeyFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ConsoleJwtConfigurationException($"PublicKeyFile '{options.PublicKeyFile}' cannot be read.", ex);
            }
        }
        else
        {
            pem = options.PublicKeyPem!;
        }

        return FromPem(options.KeyId, pem);
    }

    private static ConsoleJwtKey FromPem(string? keyId, string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            if (rsa.KeySize < 2048)
            {
                throw new ConsoleJwtConfigurationException($"the RSA key has {rsa.KeySize} bits; RS256 needs at least 2048.");
            }

            var key = new ConsoleJwtKey(keyId, "RS256", null, rsa, null);
            rsa = null;
            return key;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            // Not an RSA key: try EC below.
        }
        finally
        {
            rsa?.Dispose();
        }

        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            if (ec.KeySize != 256)
            {
                throw new ConsoleJwtConfigurationException($"the EC key is on a {ec.KeySize}-bit curve; ES256 needs P-256.");
            }

            var key = new ConsoleJwtKey(keyId, "ES256", null, null, ec);
            ec = null;
            return key;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new ConsoleJwtConfigurationException("the PEM text is not an RSA or EC public key.", ex);
        }
        finally
        {
            ec?.Dispose();
        }
    }

    public bool Verify(ReadOnlySpan<byte> signedPart, ReadOnlySpan<byte> signature) => Algorithm switch
    {
        "HS256" => CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_secret, signedPart), signature),
        "RS256" => _rsa!.VerifyData(signedPart, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        "ES256" => signature.Length == 64 && _ec!.VerifyData(signedPart, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        _ => false,
    };

    public void Dispose()
    {
        _rsa?.Dispose();
        _ec?.Dispose();
    }
}

/// <summary>The outcome of checking one token: a principal, or why not (the reason never quotes the token).</summary>
internal sealed record ConsoleJwtResult(ClaimsPrincipal? Principal, string? Failure);

/// <summary>
/// Verifies compact JWS tokens (HS256, RS256, ES256) against the configured keys, issuer, audience and lifetime, and
/// maps the configured claims to the console's name, role and agency claims, the same ones a cookie sign-in carries.
/// </summary>
internal sealed class ConsoleJwtValidator : IDisposable
{
    public const string AuthenticationType = "HubConsoleBearer";
    private const int MaxTokenLength = 16 * 1024;

    private readonly ConsoleJwtOptions _options;
    private readonly List<ConsoleJwtKey> _keys;

    public ConsoleJwtValidator(IOptions<ConsoleJwtOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _keys = [.. _options.Keys.Select(ConsoleJwtKey.Load)];
    }

    public bool Enabled => _keys.Count > 0;

    public ConsoleJwtResult Validate(string token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!Enabled)
        {
            return Fail("bearer tokens are not configured");
        }

        if (token.Length is 0 or > MaxTokenLength)
        {
            return Fail("token is empty or too long");
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
        {
            return Fail("token is not a signed compact JWT");
        }

        JsonElement header;
        JsonElement payload;
        byte[] signature;
        try
        {
            header = ParseObject(parts[0]);
            payload = ParseObject(parts[1]);
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return Fail("token is not well-formed");
        }

        if (header.ValueKind != JsonValueKind.Object || payload.ValueKind != JsonValueKind.Object)
        {
            return Fail("token header or payload is not a JSON object");
        }

        var alg = String(header, "alg");
        if (alg is not ("HS256" or "RS256" or "ES256"))
        {
            return Fail("algorithm is not accepted");
        }

        if (header.TryGetProperty("crit", out _))
        {
            return Fail("critical header parameters are not supported");
        }

        var kid = String(header, "kid");
        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var verified = _keys.Any(k => k.Algorithm == alg && (kid is null || k.KeyId is null || k.KeyId == kid) && k.Verify(signed, signature));
        if (!verified)
        {
            return Fail("signature does not verify with any configured key");
        }

        if (String(payload, "iss") != _options.Issuer)
        {
            return Fail("issuer is not accepted");
        }

        if (!Audiences(payload).Contains(_options.Audience, StringComparer.Ordinal))
        {
            return Fail("audience is not accepted");
        }

        var skew = TimeSpan.FromSeconds(_options.ClockSkewSeconds);
        if (Seconds(payload, "exp") is not { } exp)
        {
            return Fail("token has no expiry");
        }

        if (now >= exp + skew)
        {
            return Fail("token has expired");
        }

        if (Seconds(payload, "nbf") is { } nbf && now < nbf - skew)
        {
            return Fail("token is not valid yet");
        }

        var name = String(payload, _options.NameClaim);
        if (string.IsNullOrWhiteSpace(name))
        {
            return Fail("token has no name claim");
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, name, ClaimValueTypes.String, _options.Issuer) };
        foreach (var role in Strings(payload, _options.RoleClaim).Where(r => ConsoleRoles.All.Contains(r, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal))
        {
            claims.Add(new Claim(ClaimTypes.Role, role, ClaimValueTypes.String, _options.Issuer));
        }

        if (String(payload, _options.AgencyClaim) is { Length: > 0 } agency)
        {
            claims.Add(new Claim(ConsoleRoles.AgencyClaim, agency, ClaimValueTypes.String, _options.Issuer));
        }

        var identity = new ClaimsIdentity(claims, AuthenticationType, ClaimTypes.Name, ClaimTypes.Role);
        return new ConsoleJwtResult(new ClaimsPrincipal(identity), null);
    }

    public void Dispose()
    {
        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }

    private static ConsoleJwtResult Fail(string reason) => new(null, reason);

    private static JsonElement ParseObject(string part)
    {
        using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(part));
        return document.RootElement.Clone();
    }

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> Strings(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            return [];
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array => [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)],
            _ => [],
        };
    }

    private static List<string> Audiences(JsonElement payload) => Strings(payload, "aud");

    private static DateTimeOffset? Seconds(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds)
            || double.IsNaN(seconds) || seconds < 0 || seconds > 253_402_300_799)
        {
            return null;
        }

        return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
    }
}

/// <summary>
/// The bearer scheme of the console API. It only looks at requests under <c>/console/api</c> carrying
/// <c>Authorization: Bearer</c>; pages stay cookie-only (a browser never sends a bearer token on its own, and pages
/// keep their redirects to the sign-in page).
/// </summary>
internal sealed class ConsoleBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder, ConsoleJwtValidator validator, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    private const string ApiPrefix = "/console/api";
    private bool _failed;

    private bool IsApi => Request.Path.StartsWithSegments(ApiPrefix, StringComparison.Ordinal);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!IsApi || !validator.Enabled || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var result = validator.Validate(header["Bearer ".Length..].Trim(), clock.GetUtcNow());
        if (result.Principal is null)
        {
            _failed = true;
            Log.BearerRefused(Logger, result.Failure ?? "unknown");
            return Task.FromResult(AuthenticateResult.Fail(result.Failure ?? "invalid token"));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(result.Principal, Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (IsApi && validator.Enabled)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = _failed ? "Bearer error=\"invalid_token\"" : "Bearer";
        }

        return Task.CompletedTask;
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (IsApi)
        {
            Response.StatusCode = StatusCodes.Status403Forbidden;
        }

        return Task.CompletedTask;
    }
}
