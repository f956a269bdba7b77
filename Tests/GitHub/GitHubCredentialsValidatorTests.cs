using SandboxAgents.GitHub;
using SandboxAgents.Tests.Fakes;

namespace SandboxAgents.Tests.GitHub;

public sealed class GitHubCredentialsValidatorTests
{
    private static readonly string Pem = NewPem();

    private static string NewPem()
    {
        using var app = new FakeGitHubApp();
        return app.PrivateKeyPem;
    }

    private static string? Failure(GitHubOptions options) => new GitHubCredentialsValidator().Validate(null, options).FailureMessage;

    [Fact]
    public void Validate_Token_Succeeds() => Assert.Null(Failure(new GitHubOptions { Token = "ghp_x" }));

    [Fact]
    public void Validate_AppWithKey_Succeeds() => Assert.Null(Failure(new GitHubOptions { AppId = "1", PrivateKey = Pem }));

    [Fact]
    public void Validate_Nothing_NamesBothWays()
    {
        var message = Failure(new GitHubOptions());

        Assert.Contains("GitHub:Token", message);
        Assert.Contains("GitHub:AppId", message);
    }

    [Theory]
    [InlineData("appId", "GitHub:PrivateKeyPath or GitHub:PrivateKey is missing")]
    [InlineData("key", "GitHub:AppId is missing")]
    [InlineData("keyPath", "GitHub:AppId is missing")]
    [InlineData("tokenAndApp", "not both")]
    [InlineData("bothKeys", "Set GitHub:PrivateKeyPath or GitHub:PrivateKey, not both")]
    public void Validate_HalfAnApp_NamesTheMissingKey(string given, string expected)
    {
        var options = given switch
        {
            "appId" => new GitHubOptions { AppId = "1" },
            "key" => new GitHubOptions { PrivateKey = Pem },
            "keyPath" => new GitHubOptions { PrivateKeyPath = "/etc/app.pem" },
            "tokenAndApp" => new GitHubOptions { Token = "ghp_x", AppId = "1", PrivateKey = Pem },
            _ => new GitHubOptions { AppId = "1", PrivateKey = Pem, PrivateKeyPath = "/etc/app.pem" },
        };

        Assert.Contains(expected, Failure(options));
    }

    [Theory]
    [InlineData("not a key")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----")]
    public void Validate_MalformedKey_NamesTheSettingNotTheKey(string key)
    {
        var message = Failure(new GitHubOptions { AppId = "1", PrivateKey = key });

        Assert.Contains("GitHub:PrivateKey is not a PEM RSA private key", message);
        Assert.DoesNotContain(key, message);
    }

    [Fact]
    public void Validate_PublicKeyOnly_IsRefused()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);

        Assert.Contains("GitHub:PrivateKey is not a PEM RSA private key", Failure(new GitHubOptions { AppId = "1", PrivateKey = rsa.ExportSubjectPublicKeyInfoPem() }));
    }

    [Fact]
    public void Validate_UnreadableKeyFile_NamesThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N") + ".pem");

        Assert.Contains($"GitHub:PrivateKeyPath ({path}) cannot be read", Failure(new GitHubOptions { AppId = "1", PrivateKeyPath = path }));
    }
}
