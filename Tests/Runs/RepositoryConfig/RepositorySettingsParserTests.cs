using SandboxAgents.Runs.RepositoryConfig;

namespace SandboxAgents.Tests.Runs.RepositoryConfig;

public sealed class RepositorySettingsParserTests
{
    private static RepositorySettings Settings(string yaml)
    {
        var parse = RepositorySettingsParser.Parse(yaml);
        Assert.Null(parse.Problem);
        return parse.Settings!;
    }

    private static ConfigProblem Problem(string yaml)
    {
        var parse = RepositorySettingsParser.Parse(yaml);
        Assert.Null(parse.Settings);
        return parse.Problem!;
    }

    [Fact]
    public void EveryKey_IsRead()
    {
        var settings = Settings("""
            setup:
              - npm ci
              - npm run build
            validate: npm test
            model: claude-sonnet-4-5[1m]
            maxTurns: 30
            maxBudgetUsd: 2.50
            timeout: 1h30m
            draft: false
            instructions: |
              Keep the changelog up to date.
            branchPrefix: bot/
            """);

        Assert.Equal(["npm ci", "npm run build"], settings.Setup);
        Assert.Equal(["npm test"], settings.Validate);
        Assert.Equal("claude-sonnet-4-5[1m]", settings.Model);
        Assert.Equal(30, settings.MaxTurns);
        Assert.Equal(2.50m, settings.MaxBudgetUsd);
        Assert.Equal(TimeSpan.FromMinutes(90), settings.Timeout);
        Assert.False(settings.Draft);
        Assert.Equal("Keep the changelog up to date.\n", settings.Instructions);
        Assert.Equal("bot/", settings.BranchPrefix);
    }

    [Fact]
    public void KeysNotGiven_StayUnset()
    {
        var settings = Settings("maxTurns: 5");

        Assert.Equal(new RepositorySettings { MaxTurns = 5 }, settings);
    }

    [Theory]
    [InlineData("30m", 30 * 60)]
    [InlineData("1h30m", 90 * 60)]
    [InlineData("90s", 90)]
    [InlineData("2h", 2 * 3600)]
    [InlineData("1h2m3s", 3723)]
    [InlineData("01:30:00", 90 * 60)]
    [InlineData("0:00:45", 45)]
    [InlineData("'45m'", 45 * 60)]
    public void Timeout_TakesTheUsualSpellings(string written, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Settings($"timeout: {written}").Timeout);

    [Theory]
    [InlineData("setup: [a, b]", 2)]
    [InlineData("setup: one command", 1)]
    [InlineData("setup: []", 0)]
    public void Commands_AreAStringOrAList(string yaml, int count) => Assert.Equal(count, Settings(yaml).Setup!.Count);

    [Fact]
    public void SyntaxError_NamesLineAndColumn()
    {
        var problem = Problem("model: x\nsetup: [a, b\n");

        Assert.StartsWith("not valid YAML", problem.Message);
        Assert.True(problem.Line >= 2, problem.ToString());
    }

    [Fact]
    public void UnknownKey_NamesTheKeyAndWhereItIs()
    {
        var problem = Problem("model: x\n  \nagentCommand: rm -rf /\n");

        Assert.Equal((3L, 1L), (problem.Line, problem.Column));
        Assert.StartsWith("unknown key 'agentCommand'", problem.Message);
        Assert.Equal($".github/sandbox-agents.yml:3:1: {problem.Message}", problem.Describe(RepositoryConfigFile.Path));
    }

    [Theory]
    [InlineData("maxTurns: many", "maxTurns must be a whole number")]
    [InlineData("maxTurns: 0", "maxTurns must be a whole number")]
    [InlineData("maxTurns: -3", "maxTurns must be a whole number")]
    [InlineData("maxTurns: \"50\"", "maxTurns must be a whole number")]
    [InlineData("maxTurns: 2.5", "maxTurns must be a whole number")]
    [InlineData("maxBudgetUsd: 0", "maxBudgetUsd must be an amount")]
    [InlineData("maxBudgetUsd: 1e3", "maxBudgetUsd must be an amount")]
    [InlineData("draft: yes", "draft must be true or false")]
    [InlineData("timeout: 0m", "timeout must be a duration")]
    [InlineData("timeout: soon", "timeout must be a duration")]
    [InlineData("timeout: 1:99:00", "timeout must be a duration")]
    [InlineData("model: 'claude; rm -rf /'", "a model name may hold only")]
    [InlineData("model: [a]", "model must be a non-empty string")]
    [InlineData("model:", "model must be a non-empty string")]
    [InlineData("branchPrefix: ../x/", "branchPrefix must not start")]
    [InlineData("branchPrefix: 'a b/'", "branchPrefix may hold only")]
    [InlineData("branchPrefix: x.lock/", "branchPrefix must make a valid git branch name")]
    [InlineData("setup: {a: b}", "setup must be a command or a list of commands")]
    [InlineData("setup:", "setup must be a command or a list of commands")]
    [InlineData("validate: [[a]]", "each of validate's commands must be a string")]
    [InlineData("validate: ['  ']", "validate holds an empty command")]
    [InlineData("instructions: 42x\nmodel: ''", "model must be a non-empty string")]
    public void BadValue_IsAProblemAtTheValue(string yaml, string message)
    {
        var problem = Problem(yaml);

        Assert.StartsWith(message, problem.Message);
        Assert.Equal(yaml.Count(c => c == '\n') + 1, problem.Line);
        Assert.True(problem.Column > 1, problem.ToString());
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("# only a comment\n", "the file is empty")]
    [InlineData("- a\n- b\n", "the file must be a mapping")]
    [InlineData("just text", "the file must be a mapping")]
    [InlineData("model: a\n---\nmodel: b\n", "the file must hold one YAML document")]
    public void NotAMapping_IsAProblem(string yaml, string message) => Assert.StartsWith(message, Problem(yaml).Message);

    [Fact]
    public void DuplicateKey_IsAProblem() => Assert.Contains("uplicate", Problem("model: a\nmodel: b\n").Message);

    [Fact]
    public void TooLargeFile_IsAProblem()
    {
        var problem = RepositorySettingsParser.Parse("instructions: " + new string('x', RepositoryConfigFile.MaxBytes)).Problem!;

        Assert.Equal((1L, 1L), (problem.Line, problem.Column));
        Assert.Contains("larger than the 64 KiB allowed", problem.Message);
        Assert.Equal(problem, RepositorySettingsParser.TooLarge().Problem);
    }

    [Fact]
    public void TooManyOrTooLongValues_AreProblems()
    {
        Assert.Contains("at most 20 commands", Problem("setup: [" + string.Join(", ", Enumerable.Repeat("a", 21)) + "]").Message);
        Assert.Contains("at most 10000 characters", Problem("instructions: " + new string('x', 10_001)).Message);
        Assert.Contains("at most 100 characters", Problem("model: " + new string('m', 101)).Message);
    }

    [Fact]
    public void AliasBomb_DoesNotExplode()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n";

        Assert.StartsWith("unknown key 'a'", Problem(yaml).Message);
    }
}
