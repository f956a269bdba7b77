using Microsoft.Playwright;

namespace SandboxAgents.Tests.Dashboard;

/// <summary>
/// Debian's Chromium driven by Playwright, headless. Playwright's own browser download is never used: the machine
/// may have no internet, and CI installs <c>chromium</c> with apt.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"The dashboard's browser tests need Chromium at {ExecutablePath}: apt-get install chromium.");

        // Playwright's 5 s default is short on two cores busy with the rest of the suite (a CI run took 17 minutes);
        // it bounds a wait, it does not add one.
        Assertions.SetDefaultExpectTimeout(120_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Arguments,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
