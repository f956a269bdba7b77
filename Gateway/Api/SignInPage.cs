using System.Net;
using Microsoft.AspNetCore.Http;

namespace SandboxAgents.Gateway.Api;

/// <summary>
/// Endpoint metadata: a browser refused by this operator page gets a small sign-in form (a POST to
/// <c>/api/session</c> that comes back here) instead of a problem document. The key travels in the form's body only.
/// </summary>
public sealed class SignInPage
{
    public static readonly SignInPage Instance = new();

    private const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private SignInPage()
    {
    }

    /// <summary>The form, coming back to the page the browser asked for; <paramref name="problem"/> says why it is shown again.</summary>
    public static async Task WriteAsync(HttpContext context, int statusCode, string? problem, string? returnUrl = null)
    {
        var request = context.Request;
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        await response.WriteAsync(Html(
            request.PathBase + OperatorSessionApi.Path,
            returnUrl ?? (request.PathBase + request.Path + request.QueryString).ToString(),
            problem));
    }

    private static string Html(string action, string returnUrl, string? problem) =>
        $$"""
        <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in · Sandbox agents</title>
        <style>body{font:15px system-ui,sans-serif;margin:15vh auto;max-width:24rem;padding:0 1rem;color:#1f2328}input,button{font:inherit;padding:.4rem .6rem}.problem{color:#cf222e}</style></head>
        <body><h1>Sign in</h1><p>This page needs the service's operator key (<code>Api:Key</code>).</p>{{(problem is null ? "" : $"<p class=\"problem\" role=\"alert\">{WebUtility.HtmlEncode(problem)}</p>")}}
        <form method="post" action="{{WebUtility.HtmlEncode(action)}}"><input type="hidden" name="{{OperatorSessionApi.ReturnUrlField}}" value="{{WebUtility.HtmlEncode(returnUrl)}}">
        <label>Operator key <input type="password" name="{{OperatorSessionApi.KeyField}}" autocomplete="current-password" autofocus required></label> <button>Sign in</button></form></body></html>
        """;
}
