using System.Buffers;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Hub.Adapters.Feeds;
using Hub.Adapters.Fhir;
using Hub.Adapters.Fhir.Model;
using Hub.Audit.Console;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Host.Web;

/// <summary>
/// <c>POST /fhir</c> and <c>POST /fhir/Bundle</c>: hospitals push ED Bundles. The API key (header <c>X-API-Key</c> or
/// <c>Authorization: ApiKey ...</c>) identifies the feed; <c>?feed=ID</c> is optional and must match it. Every answer
/// is FHIR JSON: a transaction/batch-response Bundle or an OperationOutcome. Keys are the configured <c>Fhir:ApiKeySha256</c>
/// ones, then the active keys created in the console (<see cref="IFeedApiKeyStore"/>). See docs/feeds/fhir.md.
/// </summary>
public static class FhirEndpoints
{
    private const string FhirJsonMediaType = "application/fhir+json";

    /// <summary>Maps the FHIR push endpoints. Needs <see cref="FhirFeedDirectory"/>, <see cref="IFhirIntake"/> and <see cref="TimeProvider"/>.</summary>
    public static IEndpointRouteBuilder MapHubFhirEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/fhir", HandleAsync);
        app.MapPost("/fhir/Bundle", HandleAsync);
        return app;
    }

    private static async Task HandleAsync(HttpContext http)
    {
        var services = http.RequestServices;
        var directory = services.GetRequiredService<FhirFeedDirectory>();
        var intake = services.GetRequiredService<IFhirIntake>();
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var cancellationToken = http.RequestAborted;

        var presentedKey = KeyOf(http.Request);
        var requestedFeed = http.Request.Query.TryGetValue("feed", out var feedId) ? feedId.ToString() : null;
        var auth = directory.Authenticate(presentedKey, requestedFeed);
        if (auth.Status == FhirAuthStatus.Unauthorized && !string.IsNullOrEmpty(presentedKey) && services.GetService<IFeedApiKeyStore>() is { } keyStore)
        {
            // Configured keys first (no database round trip); then the keys created in the console, active ones only.
            auth = directory.AuthenticateFeed(await keyStore.FeedOfKeyAsync(presentedKey, cancellationToken).ConfigureAwait(false), requestedFeed);
        }

        if (auth.Status == FhirAuthStatus.Unauthorized)
        {
            http.Response.Headers.WWWAuthenticate = "ApiKey";
            await WriteAsync(http, StatusCodes.Status401Unauthorized, FhirOperationOutcomes.Create("error", "login", "a valid API key is required (X-API-Key or Authorization: ApiKey ...)")).ConfigureAwait(false);
            return;
        }

        if (auth.Status == FhirAuthStatus.Forbidden)
        {
            await WriteAsync(http, StatusCodes.Status403Forbidden, FhirOperationOutcomes.Create("error", "forbidden", "the API key does not belong to the requested feed")).ConfigureAwait(false);
            return;
        }

        var feed = auth.Feed!;
        if (!IsJson(http.Request.ContentType))
        {
            await WriteAsync(http, StatusCodes.Status415UnsupportedMediaType, FhirOperationOutcomes.Create("error", "not-supported", "Content-Type must be application/fhir+json (or application/json)")).ConfigureAwait(false);
            return;
        }

        var max = feed.Fhir.MaxRequestBytes;
        if (http.Request.ContentLength > max)
        {
            await WriteAsync(http, StatusCodes.Status413PayloadTooLarge, FhirOperationOutcomes.Create("error", "too-long", $"the body is larger than {max} bytes")).ConfigureAwait(false);
            return;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max + 1;
        }

        var body = await ReadBodyAsync(http.Request, max, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            await WriteAsync(http, StatusCodes.Status413PayloadTooLarge, FhirOperationOutcomes.Create("error", "too-long", $"the body is larger than {max} bytes")).ConfigureAwait(false);
            return;
        }

        var resource = FhirJson.TryParse(body, out var error);
        if (resource is null)
        {
            await WriteAsync(http, StatusCodes.Status400BadRequest, FhirOperationOutcomes.ForParseError(error!)).ConfigureAwait(false);
            return;
        }

        if (resource is not Bundle bundle)
        {
            await WriteAsync(http, StatusCodes.Status400BadRequest, FhirOperationOutcomes.Create("error", "structure", $"expected a Bundle, found a {resource.ResourceType}", "$.resourceType")).ConfigureAwait(false);
            return;
        }

        var source = new SourceDocument("http", Convert.ToHexStringLower(SHA256.HashData(body)), time.GetUtcNow());
        var outcomes = auth.Reader!.ReadResource(bundle, source);
        var result = await intake.AcceptAsync(feed.Id, source, bundle.Id, outcomes, cancellationToken).ConfigureAwait(false);

        var bundleReject = outcomes.FirstOrDefault(o => o.Kind == Hub.Contracts.Model.RecordOutcomeKind.Rejected && o.SourceRecordId is null);
        if (bundleReject is not null)
        {
            await WriteAsync(http, StatusCodes.Status400BadRequest, FhirOperationOutcomes.Create("error", "invalid", bundleReject.Reject!.Reason, bundleReject.Reject.Location)).ConfigureAwait(false);
            return;
        }

        await WriteAsync(http, StatusCodes.Status200OK, FhirOperationOutcomes.ForBundle(bundle, outcomes, result)).ConfigureAwait(false);
    }

    private static string? KeyOf(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-API-Key", out var key) && !string.IsNullOrEmpty(key))
        {
            return key.ToString();
        }

        var authorization = request.Headers.Authorization.ToString();
        const string Scheme = "ApiKey ";
        return authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? authorization[Scheme.Length..].Trim() : null;
    }

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        return media.MediaType is { } type
            && (type.Equals(FhirJsonMediaType, StringComparison.OrdinalIgnoreCase)
                || type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || type.Equals("application/json+fhir", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, long max, CancellationToken cancellationToken)
    {
        // A declared length (already checked against the limit) is read straight into one array of that size.
        if (request.ContentLength is { } declared)
        {
            var exact = new byte[declared];
            await request.Body.ReadExactlyAsync(exact, cancellationToken).ConfigureAwait(false);
            return exact;
        }

        // A chunked body is collected through one pooled buffer until it ends or passes the limit.
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            while (true)
            {
                var read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer.ToArray();
                }

                if (buffer.Length + read > max)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static async Task WriteAsync(HttpContext http, int status, byte[] json)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = FhirJsonMediaType + "; charset=utf-8";
        http.Response.ContentLength = json.Length;
        await http.Response.Body.WriteAsync(json, http.RequestAborted).ConfigureAwait(false);
    }
}
