using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Silk.Core.Schema;

/// <summary>
/// Evaluates <c>pattern</c> constraints: an unanchored search, as Rust's <c>Regex::is_match</c>.
/// </summary>
/// <remarks>
/// <para>
/// Patterns come from ontologies that peers send us, so they are hostile input. They are compiled with
/// <see cref="RegexOptions.NonBacktracking"/> (linear time in the input, like Rust's <c>regex</c> crate)
/// and a match timeout as a second line of defence; compiled patterns are cached (bounded).
/// </para>
/// <para>
/// Syntax is Rust <c>regex</c>'s on the original and .NET's here. The common subset (literals, classes,
/// <c>^</c>, <c>$</c>, <c>\d \w \s</c>, <c>* + ? {m,n}</c>, alternation, groups, <c>(?i)</c>, <c>\A \z \b</c>)
/// behaves alike. Neither engine accepts backreferences or lookaround (NonBacktracking rejects them,
/// as it does atomic groups and conditionals), so such patterns are invalid on both sides.
/// Known differences:
/// <list type="bullet">
/// <item><c>$</c> without the <c>m</c> flag: Rust matches only at the very end, .NET also before a final
/// <c>\n</c>. We rewrite such <c>$</c> to <c>\z</c> (see <see cref="TranslateEndAnchors"/>) so
/// <c>^\d+$</c> rejects <c>"12\n"</c> as Rust does.</item>
/// <item><c>.</c> and negated classes: Rust consumes one Unicode scalar, .NET one UTF-16 unit, so a
/// character outside the BMP counts as two for <c>.</c> and <c>{m,n}</c> here.</item>
/// <item>Rust-only syntax, rejected here as invalid: <c>(?P&lt;name&gt;…)</c>, one-letter <c>\pN</c>,
/// <c>(?U)</c>; Rust's nested classes and set operations (<c>[a[b]]</c>, <c>&amp;&amp;</c>, <c>--</c>)
/// and ASCII classes (<c>[[:alpha:]]</c>) parse here as different literal classes.</item>
/// <item>.NET-only syntax (class subtraction <c>[a-z-[aeiou]]</c>, <c>\Z</c>, <c>\G</c>) is an error in
/// Rust and therefore quarantined by Rust peers.</item>
/// <item>Size limits: NonBacktracking refuses patterns whose unrolled automaton would be large (e.g.
/// <c>.{65535}</c> or <c>(a{100}){100}</c>); Rust only refuses past its 10 MB compiled-size limit, so
/// some big counted repetitions are valid there and invalid here.</item>
/// <item><c>\w</c>, <c>\d</c>, <c>\s</c> and <c>(?i)</c> are Unicode-aware in both, from different
/// Unicode tables and case-folding rules; rare characters may classify differently.</item>
/// </list>
/// An invalid pattern, or a match that exceeds the timeout, is reported as a violation of the
/// <c>pattern</c> constraint at write time; the ontology declaring it is still accepted.
/// </para>
/// </remarks>
internal static class PatternMatcher
{
    // Linear-time matching keeps honest patterns far below this; the bound is for hostile input. It is
    // generous because a timeout quarantines an entry, and a busy 2-core host must not make that happen.
    public const int MatchTimeoutMilliseconds = 1000;

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(MatchTimeoutMilliseconds);

    private const int CacheCapacity = 512;

    private static readonly ConcurrentDictionary<string, Compiled> Cache = new(StringComparer.Ordinal);

    /// <summary>A compiled pattern, or why it could not be compiled.</summary>
    private sealed record Compiled(Regex? Regex, string? Error);

    /// <summary>Null when <paramref name="value"/> matches; otherwise the violation detail text.</summary>
    public static string? Check(string pattern, string value)
    {
        var compiled = GetOrCompile(pattern);
        if (compiled.Regex is null)
        {
            return $"invalid regex pattern '{pattern}': {compiled.Error}";
        }

        try
        {
            return compiled.Regex.IsMatch(value) ? null : $"value '{value}' does not match pattern '{pattern}'";
        }
        catch (RegexMatchTimeoutException)
        {
            return $"pattern '{pattern}' could not be evaluated within {MatchTimeoutMilliseconds} ms";
        }
    }

    /// <summary>The compiled pattern (cached, linear-time), or null with the reason it is invalid.</summary>
    public static Regex? TryCompile(string pattern, out string? error)
    {
        var compiled = GetOrCompile(pattern);
        error = compiled.Error;
        return compiled.Regex;
    }

    private static Compiled GetOrCompile(string pattern)
    {
        if (Cache.TryGetValue(pattern, out var cached)) return cached;
        var compiled = Compile(pattern);

        // A crude bound: ontologies hold a handful of patterns, so a full cache means churn or abuse.
        if (Cache.Count >= CacheCapacity) Cache.Clear();
        Cache.TryAdd(pattern, compiled);
        return compiled;
    }

    private static Compiled Compile(string pattern)
    {
        try
        {
            var regex = new Regex(
                TranslateEndAnchors(pattern),
                RegexOptions.NonBacktracking | RegexOptions.CultureInvariant,
                MatchTimeout);
            return new Compiled(regex, null);
        }
        catch (ArgumentException ex)
        {
            return new Compiled(null, ex.Message);
        }
        catch (NotSupportedException ex)
        {
            return new Compiled(null, ex.Message);
        }
    }

    /// <summary>
    /// Rewrites each unescaped <c>$</c> outside a character class to <c>\z</c>, Rust's meaning of
    /// <c>$</c> without the multi-line flag. A pattern that turns the <c>m</c> flag on anywhere is left
    /// alone: there <c>$</c> means end-of-line in both engines.
    /// </summary>
    internal static string TranslateEndAnchors(string pattern)
    {
        if (!pattern.Contains('$', StringComparison.Ordinal) || EnablesMultiline(pattern)) return pattern;

        var sb = new StringBuilder(pattern.Length + 4);
        var classDepth = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                sb.Append(c).Append(pattern[++i]);
                continue;
            }

            if (c == '[')
            {
                classDepth++;
                sb.Append(c);

                // A ']' right after '[' or '[^' is a literal member, not the end of the class.
                if (i + 1 < pattern.Length && pattern[i + 1] == '^') sb.Append(pattern[++i]);
                if (i + 1 < pattern.Length && pattern[i + 1] == ']') sb.Append(pattern[++i]);
                continue;
            }

            if (c == ']' && classDepth > 0) classDepth--;
            sb.Append(c == '$' && classDepth == 0 ? "\\z" : c.ToString());
        }

        return sb.ToString();
    }

    // Looks for "(?" flag groups such as (?m), (?im) or (?m:…) that switch multi-line on.
    private static bool EnablesMultiline(string pattern)
    {
        for (var i = pattern.IndexOf("(?", StringComparison.Ordinal); i >= 0; i = pattern.IndexOf("(?", i + 2, StringComparison.Ordinal))
        {
            for (var j = i + 2; j < pattern.Length; j++)
            {
                var c = pattern[j];
                if (c == 'm') return true;
                if (c is '-' or ')' or ':' || !char.IsAsciiLetter(c)) break;
            }
        }

        return false;
    }
}
