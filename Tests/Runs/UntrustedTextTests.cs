using System.Net;
using SandboxAgents.Runs;

namespace SandboxAgents.Tests.Runs;

public sealed class UntrustedTextTests
{
    public static TheoryData<string> Hostile => new()
    {
        "Fixes #12",
        "closes octo/other#3",
        "Resolves: https://github.com/o/r/issues/4",
        "FIXED: https://github.example.com/o/r/pull/9 and resolved GH-7",
        "close #1, fix: #2, resolves octo/other#3",
        "Fix\u200Bes #12",
        "@someone please look",
        "cc @org/team",
        "</details><img src=x>",
        "<!-- hidden -->",
        "![x](https://evil/t.png)",
        "![pixel][p]\n\n[p]: https://evil/t.png",
        "&#64;someone &#35;5 &lt;img src=x&gt; &#x3C;b&#x3E;",
        "`code` then @someone, `more` #5 `",
        "\\`<img src=x>` escaped backtick",
        "```\n</details>\n<img src=x> @someone #4",
        "  ~~~~\n<b>still code</b>\n~~~",
        "````js\n`inner` #3\n````\n@after",
        "| a | b |\n|---|---|\n| `x | <img src=y>` | z |",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Markdown_HostileText_LeavesNothingForGitHubToActOn(string hostile)
    {
        Assert.NotEmpty(GitHubRendering.Hazards(hostile));

        var safe = UntrustedText.Markdown(hostile, 4_000);

        Assert.Empty(GitHubRendering.Hazards(safe));
    }

    [Theory]
    [InlineData("Fixes #12", "Fixes #&#8203;12")]
    [InlineData("closes octo/other#3", "closes octo/other#&#8203;3")]
    [InlineData("Resolves: https://github.com/o/r/issues/4", "Resolves: https://github.com/o/r/issues/&#8203;4")]
    [InlineData("@someone", "@&#8203;someone")]
    [InlineData("@org/team", "@&#8203;org/team")]
    [InlineData("</details><img src=x>", "&lt;/details&gt;&lt;img src=x&gt;")]
    [InlineData("<!-- hidden -->", "&lt;!-- hidden --&gt;")]
    [InlineData("![x](https://evil/t.png)", "!&#91;x](https://evil/t.png)")]
    [InlineData("&#64;someone &amp;", "&amp;#&#8203;64;someone &amp;amp;")]
    [InlineData("costs $5", "costs &#36;5")]
    public void Markdown_HostileText_RendersAsTheTextItWas(string hostile, string expected) =>
        Assert.Equal(expected, UntrustedText.Markdown(hostile, 4_000));

    [Fact]
    public void Markdown_BenignSummary_StillReadsWell()
    {
        const string Summary = "Fixed the typo in `README.md` (\"Teh\" → \"The\") and made `Parse<T>` **stricter**.\n\n- added a test\n- ran `dotnet test`: all green";

        var safe = UntrustedText.Markdown(Summary, 4_000);

        Assert.Equal(
            "Fixed the typo in <code>README.md</code> (\"Teh\" → \"The\") and made <code>Parse&lt;T&gt;</code> **stricter**.\n\n- added a test\n- ran <code>dotnet test</code>: all green",
            safe);
    }

    [Fact]
    public void Markdown_FencedCode_BecomesPre_WithItsTextAsWritten()
    {
        var safe = UntrustedText.Markdown("Run:\n```bash\nif [ $a -lt 1 ] && echo <ok>; then :; fi\n```\nDone.", 4_000);

        Assert.Equal("Run:\n<pre>\nif [ $a -lt 1 ] &amp;&amp; echo &lt;ok&gt;; then :; fi\n</pre>\nDone.", safe);
    }

    [Fact]
    public void Markdown_FenceLeftOpen_IsClosed_SoNothingAfterItIsSwallowed()
    {
        var safe = UntrustedText.Markdown("Look:\n```\nnever closed", 4_000);

        Assert.EndsWith("never closed\n</pre>", safe);
    }

    [Fact]
    public void Markdown_CodeSpanContent_IsLiteral()
    {
        var safe = UntrustedText.Markdown("`*not bold* [no](link) ![no](img) https://x.example $x$`", 4_000);

        Assert.Equal("<code>&#42;not bold&#42; &#91;no&#93;(link) &#33;&#91;no&#93;(img) https&#58;//x.example &#36;x&#36;</code>", safe);
        Assert.Equal("*not bold* [no](link) ![no](img) https://x.example $x$", WebUtility.HtmlDecode(safe)[6..^7]);
    }

    [Fact]
    public void Markdown_Overlong_CappedBeforeEscaping()
    {
        var safe = UntrustedText.Markdown(new string('<', 5_000), 4_000);

        Assert.Equal(string.Concat(Enumerable.Repeat("&lt;", 4_000)) + "…", safe);
    }

    [Fact]
    public void Markdown_InvisibleAndControlCharacters_Dropped() =>
        Assert.Equal("abc", UntrustedText.Markdown("a\u200Bb\u202Ec\u0007", 100));

    [Theory]
    [InlineData("reading `README.md`", "reading 'README.md'")]
    [InlineData("line one\nline two", "line one line two")]
    [InlineData("ask @someone about #12", "ask @\u200Bsomeone about #\u200B12")]
    [InlineData("  padded  ", "padded")]
    public void CodeSpan_Line_StaysOneCodeSpan(string line, string expected) =>
        Assert.Equal(expected, UntrustedText.CodeSpan(line, 160));

    [Fact]
    public void CodeSpan_Overlong_Capped() => Assert.Equal(new string('x', 10) + "…", UntrustedText.CodeSpan(new string('x', 50), 10));

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData("\u200B\u200B")]
    public void CodeSpan_NothingVisible_Null(string? line) => Assert.Null(UntrustedText.CodeSpan(line, 10));
}
