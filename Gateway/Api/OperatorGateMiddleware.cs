using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace SandboxAgents.Gateway.Api;

/// <summary>
/// Guards browser pages behind the operator key (the Orleans dashboard): a Bearer header, or a cookie set once the key
/// was given on a small form. The key never appears in a URL that is kept: the form's answer is exchanged for an
/// owner-only, same-site cookie and the browser is sent on without it.
/// </summary>
public sealed class OperatorGateMiddleware(RequestDelegate next, IOptions<ApiOptions> options)
{
    public const string CookieName = "sandbox-agents-operator";
    private const string KeyField = "operatorKey";

    public async Task InvokeAsync(HttpContext context)
    {
        var key = options.Value.Key;
        var request = context.Request;
        if (string.IsNullOrEmpty(key) || OperatorKeyFilter.Check(request, key) is null || Matches(request.Cookies[CookieName], key))
        {
            if (string.IsNullOrEmpty(key)) await OperatorKeyFilter.Check(request, key)!.ExecuteAsync(context);
            else await next(context);
            return;
        }

        if (Matches(request.Query[KeyField], key))
        {
            context.Response.Cookies.Append(CookieName, key, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = request.IsHttps,
                Path = request.PathBase.Add(request.Path).Value is { } path && path.IndexOf('/', 1) is var slash and > 0 ? path[..slash] : "/",
            });
            context.Response.Redirect(request.PathBase + request.Path);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(Form(request.PathBase + request.Path));
    }

    private static bool Matches(string? given, string key) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key));

    private static string Form(string action) =>
        $$"""
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Operator key</title>
        <style>body{font:15px system-ui,sans-serif;margin:15vh auto;max-width:24rem;color:#1f2328}input,button{font:inherit;padding:.4rem .6rem}</style></head>
        <body><h1>Operator key</h1><p>This page needs the service's operator key (<code>Api:Key</code>).</p>
        <form method="get" action="{{WebUtility.HtmlEncode(action)}}"><input type="password" name="{{KeyField}}" autofocus required> <button>Continue</button></form></body></html>
        """;
}
