using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SandboxAgents.Gateway.Api;

/// <summary>
/// Who may use the HTTP face: the operator scheme (bearer key or session cookie), one policy per
/// <see cref="OperatorAccess"/>, and <c>/api/session</c>. Both the gateway and the silo's Orleans dashboard use it.
/// </summary>
public static class OperatorAccessExtensions
{
    private const string Mapped = "SandboxAgents.OperatorAccess";

    public static IServiceCollection AddOperatorAccess(this IServiceCollection services)
    {
        if (services.Any(s => s.ServiceType == typeof(OperatorSessionTokens))) return services;

        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName)
            .Validate(o => o.SessionLifetime > TimeSpan.Zero, "Api:SessionLifetime must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OperatorSessionTokens>();
        services.AddAuthentication(OperatorAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, OperatorAuthenticationHandler>(OperatorAuthenticationHandler.SchemeName, configureOptions: null);
        services.AddAuthorization(options =>
        {
            foreach (var access in Enum.GetValues<OperatorAccess>())
            {
                options.AddPolicy(OperatorRequirement.PolicyName(access), policy => policy
                    .AddAuthenticationSchemes(OperatorAuthenticationHandler.SchemeName)
                    .AddRequirements(new OperatorRequirement(access)));
            }
        });
        services.AddSingleton<IAuthorizationHandler, OperatorAuthorizationHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, OperatorRefusalResultHandler>();
        return services;
    }

    /// <summary>Adds the authentication and authorization middleware and maps <c>/api/session</c>, once.</summary>
    public static WebApplication UseOperatorAccess(this WebApplication app)
    {
        var properties = ((IApplicationBuilder)app).Properties;
        if (!properties.TryAdd(Mapped, true)) return app;
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOperatorSession();
        return app;
    }

    /// <summary>Lets only those through whom <see cref="OperatorRules"/> admits for <paramref name="access"/>.</summary>
    public static TBuilder RequireOperator<TBuilder>(this TBuilder builder, OperatorAccess access) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(OperatorRequirement.PolicyName(access));

    /// <summary>As <see cref="RequireOperator{TBuilder}"/>, and a browser that is refused gets the sign-in form.</summary>
    public static TBuilder RequireOperatorPage<TBuilder>(this TBuilder builder, OperatorAccess access) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireOperator(access).WithMetadata(SignInPage.Instance);
}
