namespace SandboxAgents.Tests.Unit;

public sealed class IssueKeyTests
{
    [Theory]
    [InlineData("octo/hello#1", "octo", "hello", 1)]
    [InlineData("Codertocat/Hello-World#42", "codertocat", "hello-world", 42)]
    [InlineData("a-b/c.d_e#2147483647", "a-b", "c.d_e", int.MaxValue)]
    public void Parse_ValidKey_NormalisesToLowerCase(string text, string owner, string repository, int number)
    {
        var key = IssueKey.Parse(text);
        Assert.Equal((owner, repository, number), (key.Owner, key.Repository, key.Number));
        Assert.Equal($"{owner}/{repository}#{number}", key.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("octo/hello")]
    [InlineData("octo#1")]
    [InlineData("octo/hello#0")]
    [InlineData("octo/hello#-1")]
    [InlineData("octo/hello#2147483648")]
    [InlineData("octo/hello#1x")]
    [InlineData("-octo/hello#1")]
    [InlineData("octo/../x#1")]
    [InlineData("octo/..#1")]
    [InlineData("octo/hel lo#1")]
    [InlineData("o/r/x#1")]
    public void TryParse_Malformed_ReturnsFalse(string? text) => Assert.False(IssueKey.TryParse(text, out _));

    [Fact]
    public void Equality_DifferentCase_SameKey() => Assert.Equal(IssueKey.Parse("Octo/Hello#3"), new IssueKey("octo", "HELLO", 3));

    [Fact]
    public void Constructor_BadNumber_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => new IssueKey("o", "r", 0));

    [Fact]
    public void RoundTrip_ToStringThenParse_IsIdentity()
    {
        var key = new IssueKey("Some-Org", "Repo.Name", 77);
        Assert.Equal(key, IssueKey.Parse(key.ToString()));
    }
}
