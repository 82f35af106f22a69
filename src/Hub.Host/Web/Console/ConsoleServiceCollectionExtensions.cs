using Hub.Audit.Console;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace Hub.Host.Web.Console;

/// <summary>The web console for feed teams, receiving agencies and auditors.</summary>
internal static class ConsoleServiceCollectionExtensions
{
    /// <summary>The console's own cookie scheme, so other HTTP surfaces (FHIR intake, delivery) keep their own authentication.</summary>
    public const string Scheme = "HubConsole";

    /// <summary>Bearer tokens of an agency's identity provider, for <c>/console/api/**</c> only (<see cref="ConsoleBearerHandler"/>).</summary>
    public const string BearerScheme = "HubConsoleBearer";

    public const string InboxPolicy = "console-inbox";
    public const string AuditPolicy = "console-audit";
    public const string FeedsPolicy = "console-feeds";
    public const string AnyUserPolicy = "console-user";
    public const string AdminPolicy = "console-admin";

    /// <summary>
    /// Local accounts (<see cref="ConsoleUserStore"/>), a sliding idle-timeout cookie, antiforgery, one policy per page
    /// family, and the console's read queries. Binds <c>Hub:Console</c> (<see cref="ConsoleOptions"/>).
    /// </summary>
    public static IServiceCollection AddHubConsole(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ConsoleQueries>();
        services.TryAddSingleton<ConsoleUserStore>();
        services.TryAddSingleton<IPasswordHasher<ConsoleUser>, PasswordHasher<ConsoleUser>>();
        services.AddOptions<ConsoleJwtOptions>().BindConfiguration(ConsoleJwtOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConsoleJwtOptions>, ConsoleJwtOptionsValidator>());
        services.TryAddSingleton<ConsoleJwtValidator>();
        services.AddDataProtection();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "hub.console.af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.Path = "/console";
            o.FormFieldName = "__af";
        });
        var idle = configuration.GetSection(ConsoleOptions.Section).Get<ConsoleOptions>()?.IdleTimeoutMinutes ?? 15;
        services.AddAuthentication()
            .AddCookie(Scheme, o =>
            {
                o.Cookie.Name = "hub.console";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Cookie.Path = "/console";
                o.ExpireTimeSpan = TimeSpan.FromMinutes(idle);
                o.SlidingExpiration = true;
                o.LoginPath = "/console/signin";
                o.AccessDeniedPath = "/console/denied";
                o.Events.OnRedirectToLogin = ctx => ApiOrRedirect(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiOrRedirect(ctx, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, ConsoleBearerHandler>(BearerScheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AnyUserPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser())
            .AddPolicy(InboxPolicy, p => p.AddAuthenticationSchemes(Scheme, BearerScheme).RequireRole(ConsoleRoles.Recipient).RequireClaim(ConsoleRoles.AgencyClaim)
                // A cookie and a bearer token of two different agencies on one request would merge into one principal with two
                // agencies; scoping needs exactly one.
                .RequireAssertion(c => c.User.FindAll(ConsoleRoles.AgencyClaim).Select(a => a.Value).Distinct(StringComparer.Ordinal).Count() == 1))
            .AddPolicy(AuditPolicy, p => p.AddAuthenticationSchemes(Scheme, BearerScheme).RequireRole(ConsoleRoles.PrivacyOfficer))
            .AddPolicy(FeedsPolicy, p => p.AddAuthenticationSchemes(Scheme, BearerScheme).RequireRole(ConsoleRoles.FeedAdmin, ConsoleRoles.HubAdmin))
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(Scheme, BearerScheme).RequireRole(ConsoleRoles.HubAdmin));
        return services;
    }

    public static WebApplication MapHubConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        ConsoleEndpoints.Map(app);
        ConsoleFeedPages.Map(app);
        ConsoleApiKeyPages.Map(app);
        ConsoleAdminPages.Map(app);
        return app;
    }

    /// <summary>API calls get a status code; pages get the sign-in (or denied) page.</summary>
    private static Task ApiOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/console/api", StringComparison.Ordinal))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
