using Microsoft.Playwright;
using SandboxAgents.Gateway.Api;
using SandboxAgents.Runs;
using SandboxAgents.Tests.EndToEnd;
using SandboxAgents.Tests.Fakes;
using SandboxAgents.Tests.Gateway;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace SandboxAgents.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser against the whole service: the sign-in form, live rows from the event stream, the
/// detail, cancel. The key is only ever typed into the form; the browser keeps a session cookie that is not the key.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardBrowserTests(DashboardServiceFixture service, ChromiumFixture chromium, ITestOutputHelper output)
    : IClassFixture<ChromiumFixture>
{
    private const string Repository = ServiceFixture.Repository;

    /// <summary>A run's way from Queued to Running takes a clone and a process start; this bounds it, it is not a wait.</summary>
    private static readonly LocatorAssertionsToHaveTextOptions RunStarts = new() { Timeout = 180_000 };

    /// <summary>Reads are refused until the operator signs in: the page shows the form, and the table once signed in.</summary>
    private static async Task SignInAsync(IPage page)
    {
        var form = page.Locator("#sign-in");
        await Expect(form).ToBeVisibleAsync();
        await Expect(page.Locator("#main")).ToBeHiddenAsync();
        await form.GetByLabel("Operator key").FillAsync(ServiceFixture.OperatorKey);
        await form.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(form).ToBeHiddenAsync();
        await Expect(page.Locator("#live")).ToHaveTextAsync("Live");
    }

    private Task<HttpResponseMessage> LabelAsync(int number, string title)
    {
        var payload = Payloads.For("issues.labeled", Repository, number, sender: "maintainer", label: "agent");
        payload["issue"]!["title"] = title;
        return service.SendWebhookAsync("issues", payload);
    }

    [Fact]
    public async Task Filters_ByStateAndRepository_ShowOnlyMatchingRows_TitlesAsText()
    {
        await Task.WhenAll(LabelAsync(9511, "Filtered out [nochange]"), LabelAsync(9512, "Filtered in <b>[fail]</b>"));
        await Task.WhenAll(service.WaitForStateAsync(9511, "NoChanges"), service.WaitForStateAsync(9512, "Failed"));
        var page = await chromium.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = service.BaseAddress.ToString() });
        await page.GotoAsync("/");
        await SignInAsync(page);
        var noChanges = page.Locator($"#runs tbody tr[data-key='{Repository}#9511']");
        var failed = page.Locator($"#runs tbody tr[data-key='{Repository}#9512']");
        await Expect(noChanges).ToBeVisibleAsync();
        await Expect(failed.Locator("td.title")).ToHaveTextAsync("Filtered in <b>[fail]</b>");
        await Expect(failed.Locator("b")).ToHaveCountAsync(0);

        await page.GetByLabel("State").SelectOptionAsync("Failed");
        await Expect(noChanges).ToHaveCountAsync(0);
        await Expect(failed).ToBeVisibleAsync();

        await page.GetByLabel("Repository").FillAsync("someone/else");
        await Expect(failed).ToHaveCountAsync(0);
        await Expect(page.Locator("#empty")).ToHaveTextAsync("No runs match the filters.");
        await page.CloseAsync();
    }

    /// <summary>
    /// A linked page is refused twice before the sign-in (the stream and the detail). The detail's refusal is held
    /// here until the key has been typed: arriving late, it must not wipe the key, so the sign-in still works.
    /// </summary>
    [Fact]
    public async Task IssueLink_FromTheStatusComment_OpensItsDetail_EvenWhenARefusalArrivesWhileTheKeyIsTyped()
    {
        await LabelAsync(9531, "Linked from GitHub [nochange]");
        await service.WaitForStateAsync(9531, "NoChanges");
        var page = await chromium.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = service.BaseAddress.ToString() });
        using var refusalHeld = new SemaphoreSlim(0);
        await page.RouteAsync($"**/api/tasks/{Repository}/9531", async route =>
        {
            var refusal = await route.FetchAsync();
            await refusalHeld.WaitAsync();
            await route.FulfillAsync(new RouteFulfillOptions { Response = refusal });
        }, new PageRouteOptions { Times = 1 });

        var link = new DashboardLinkOptions { PublicUrl = service.BaseAddress }.LinkTo(IssueKey.Parse($"{Repository}#9531"));
        await page.GotoAsync(link!);
        var form = page.Locator("#sign-in");
        await Expect(form).ToBeVisibleAsync();
        var key = form.GetByLabel("Operator key");
        await key.FillAsync(ServiceFixture.OperatorKey);
        var refusalRead = page.WaitForRequestFinishedAsync(new PageWaitForRequestFinishedOptions { Predicate = r => r.Url.EndsWith("/9531", StringComparison.Ordinal) });
        refusalHeld.Release();
        await refusalRead;
        await Expect(page.Locator("#sign-in-message")).ToContainTextAsync("operator key");
        await Expect(key).ToHaveValueAsync(ServiceFixture.OperatorKey);
        await form.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(form).ToBeHiddenAsync();

        await Expect(page.Locator("#detail-title")).ToHaveTextAsync($"{Repository}#9531");
        await Expect(page.Locator("#detail-state")).ToHaveTextAsync("NoChanges");
        await Expect(page.Locator("#detail-log")).ToContainTextAsync("agent: nothing to change");
        await Expect(page.Locator("#detail-steps li")).ToContainTextAsync("Running `git status`");
        await Expect(page.Locator("#detail-steps li .tool")).ToHaveTextAsync("Bash");
        await Expect(page.Locator("#detail-facts")).ToContainTextAsync("not validated");
        await page.CloseAsync();
    }

    [Fact]
    public async Task WebhookRun_AppearsWithoutReload_AndIsCancelledFromItsDetail()
    {
        await Task.WhenAll(LabelAsync(9502, "Fix the README typo [edit]"), LabelAsync(9503, "Tidy the changelog [nochange]"), LabelAsync(9504, "Upgrade the build [fail]"));
        await Task.WhenAll(service.WaitForStateAsync(9502, "Succeeded"), service.WaitForStateAsync(9503, "NoChanges"), service.WaitForStateAsync(9504, "Failed"));

        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = service.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.Locator("#sign-in-message")).ToContainTextAsync("operator key");
        await page.Locator("#sign-in").GetByLabel("Operator key").FillAsync("not-the-key");
        await page.Locator("#sign-in").GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#sign-in-message")).ToHaveTextAsync("That is not the operator key.");
        await SignInAsync(page);
        await Expect(page.Locator("#sign-out")).ToBeVisibleAsync();
        var session = (await context.CookiesAsync()).Single();
        Assert.Equal(OperatorSessionTokens.CookieName, session.Name);
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.Equal("/", session.Path);
        Assert.DoesNotContain(ServiceFixture.OperatorKey, session.Value, StringComparison.Ordinal);
        var row = page.Locator($"#runs tbody tr[data-key='{Repository}#9501']");
        await Expect(row).ToHaveCountAsync(0);

        await LabelAsync(9501, "Rewrite the parser [sleep 7501]");

        await Expect(row.Locator(".badge")).ToHaveTextAsync("Running", RunStarts);
        await Expect(page.Locator("#runs tbody tr").First).ToHaveAttributeAsync("data-key", $"{Repository}#9501");
        await row.ClickAsync();
        var detail = page.Locator("#detail");
        await Expect(detail.Locator("#detail-title")).ToHaveTextAsync($"{Repository}#9501");
        await Expect(detail.Locator("#detail-state")).ToHaveTextAsync("Running");

        // The cancel's answer (the grain's view when it took the command: still Running) is held back until the run's
        // event has shown the detail as Cancelled; the late answer must not turn it back.
        using var answerHeld = new SemaphoreSlim(0);
        await page.RouteAsync("**/cancel", async route =>
        {
            var answer = await route.FetchAsync();
            await answerHeld.WaitAsync();
            await route.FulfillAsync(new RouteFulfillOptions { Response = answer });
        });
        await detail.GetByRole(AriaRole.Button, new() { Name = "Cancel run" }).ClickAsync();

        await Expect(row.Locator(".badge")).ToHaveTextAsync("Cancelled");
        await Expect(detail.Locator("#detail-state")).ToHaveTextAsync("Cancelled");
        answerHeld.Release();
        await Expect(detail.Locator("#detail-message")).ToHaveTextAsync("Cancellation requested.");
        await Expect(detail.Locator("#detail-state")).ToHaveTextAsync("Cancelled");
        await Expect(detail.Locator("#detail-timeline li").Last).ToContainTextAsync("Cancelled");
        await Expect(detail.Locator("#detail-facts")).ToContainTextAsync("@operator (dashboard)");
        await Expect(page.Locator("#live")).ToHaveTextAsync("Live");
        var stored = await page.EvaluateAsync<string>("() => JSON.stringify([document.cookie, { ...sessionStorage }, { ...localStorage }])");
        Assert.DoesNotContain(ServiceFixture.OperatorKey, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(OperatorSessionTokens.CookieName, stored, StringComparison.Ordinal);

        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine($"Dashboard screenshot: {screenshot}");
    }

    [Fact]
    public async Task Iterations_AreGroupedUnderTheirPullRequest_AndAMessageShowsInTheTimeline()
    {
        await LabelAsync(9521, "Fix the README typo [edit]");
        var branch = (await service.WaitForStateAsync(9521, "Succeeded"))["branch"]!.GetValue<string>();
        var number = service.GitHub.PullRequestsFor(Repository).Single(p => p["head"]!["ref"]!.GetValue<string>() == branch)["number"]!.GetValue<int>();
        var review = service.GitHub.AddReview(Repository, number, "maintainer", "CHANGES_REQUESTED", "One more line, please.", commitId: null);
        await service.SendWebhookAsync("pull_request_review", PullRequestPayloads.Review(Repository, number, branch, review, "One more line, please."));
        await Eventually.MatchesAsync(() => service.GetTaskAsync(9521),
            t => t?["history"]?.AsArray().Count == 2 && t["state"]?.GetValue<string>() == "Succeeded", "the iteration's end");

        var page = await chromium.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = service.BaseAddress.ToString() });
        await page.GotoAsync("/");
        await SignInAsync(page);
        var row = page.Locator($"#runs tbody tr[data-key='{Repository}#9521']");
        await Expect(row.Locator(".iteration")).ToHaveTextAsync("iteration 2");
        await row.ClickAsync();
        var detail = page.Locator("#detail");
        await Expect(detail.Locator("#detail-facts")).ToContainTextAsync($"2 on pull request #{number}");
        var iterations = detail.Locator($"#detail-history li.pull-request[data-pull-request='{number}'] ul.iterations > li");
        await Expect(iterations).ToHaveCountAsync(2);
        await Expect(iterations.First).ToContainTextAsync("iteration 2 · Review by maintainer");
        await Expect(iterations.Last).ToContainTextAsync("Label by maintainer");

        await LabelAsync(9522, "Rewrite the parser [sleep 7522]");
        await service.WaitForStateAsync(9522, "Running");
        var sent = await service.OperatorPostAsync($"/api/tasks/{Repository}/9522/messages", new { text = "Keep the <b>old</b> API." });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, sent.StatusCode);
        await page.Locator($"#runs tbody tr[data-key='{Repository}#9522']").ClickAsync();
        var message = detail.Locator("#detail-timeline li", new() { Has = page.Locator(".badge.message") });
        await Expect(message).ToContainTextAsync("from @operator: Keep the <b>old</b> API.");
        await Expect(detail.Locator("#detail-timeline b")).ToHaveCountAsync(0);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await service.OperatorPostAsync($"/api/tasks/{Repository}/9522/cancel")).StatusCode);
        await service.WaitForStateAsync(9522, "Cancelled");
    }

    [Fact]
    public async Task SignOut_ClosesTheTable_AndAsksToSignInAgain()
    {
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = service.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await SignInAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        await Expect(page.Locator("#main")).ToBeHiddenAsync();
        Assert.Empty(await context.CookiesAsync());
    }
}
