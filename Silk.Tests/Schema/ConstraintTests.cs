using System.Diagnostics;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Tests.Schema;

public class ConstraintTests
{
    private static SchemaViolation? Check(OntologyRules rules, Value value) =>
        rules.ValidateNode("thing", null, ValueMap.Of(("p", value)));

    [Fact]
    public void Hostile_pattern_against_a_long_value_returns_promptly()
    {
        var rules = SchemaTestOntologies.OneProperty("string", @"{'pattern':'(a*)*b'}");
        var value = new string('a', 50_000);
        var clock = Stopwatch.StartNew();
        var violation = Check(rules, value);
        clock.Stop();

        // Linear-time matching: no match (or, on a starved machine, the timeout) — never a hang.
        Assert.NotNull(violation);
        Assert.Equal("pattern", violation.Constraint);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Catastrophic_backtracking_pattern_matches_in_linear_time()
    {
        var rules = SchemaTestOntologies.OneProperty("string", @"{'pattern':'^(\\w+\\s?)*$'}");
        var value = string.Concat(Enumerable.Repeat("word ", 20_000)) + "!";
        var clock = Stopwatch.StartNew();
        var violation = Check(rules, value);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal("pattern", violation?.Constraint);
    }

    [Theory]
    [InlineData("(")]
    [InlineData("[a-")]
    [InlineData(@"(a)\\1")]
    [InlineData("(?=a)")]
    public void Invalid_or_unsupported_pattern_is_a_violation_at_write_time(string pattern)
    {
        var rules = SchemaTestOntologies.OneProperty("string", $"{{'pattern':'{pattern}'}}");
        Assert.Null(OntologyRules.ValidateSelf(rules.Ontology));

        var violation = Check(rules, "a");
        Assert.NotNull(violation);
        Assert.Equal(SchemaViolationKind.ConstraintViolation, violation.Kind);
        Assert.StartsWith($"'thing'.'p' violates constraint 'pattern': invalid regex pattern '{pattern.Replace(@"\\", @"\", StringComparison.Ordinal)}': ", violation.Message);
    }

    [Theory]
    [InlineData("^[0-9]+$", "12", true)]
    [InlineData("^[0-9]+$", "12\n", false)]
    [InlineData("(?m)^[0-9]+$", "12\nab", true)]
    [InlineData("^[$]+$", "$$", true)]
    [InlineData(@"^\\$", "$", true)]
    [InlineData("b", "abc", true)]
    [InlineData("^b", "abc", false)]
    public void Pattern_is_an_unanchored_search_with_rust_end_anchor(string pattern, string value, bool matches)
    {
        var rules = SchemaTestOntologies.OneProperty("string", $"{{'pattern':'{pattern}'}}");
        Assert.Equal(matches, Check(rules, value) is null);
    }

    [Fact]
    public void Lengths_count_utf8_bytes()
    {
        var rules = SchemaTestOntologies.OneProperty("string", "{'min_length':5,'max_length':7}");
        Assert.Null(Check(rules, "abcde"));
        Assert.Null(Check(rules, "ééé"));
        Assert.Equal("'thing'.'p' violates constraint 'max_length': string length 8 exceeds maximum 7", Check(rules, "éééé")?.Message);
        Assert.Equal("'thing'.'p' violates constraint 'min_length': string length 4 is less than minimum 5", Check(rules, "😀")?.Message);
    }

    [Theory]
    [InlineData("{'max_length':2.0}")]
    [InlineData("{'max_length':-1}")]
    [InlineData("{'max_length':'2'}")]
    public void Length_bound_that_is_not_a_non_negative_integer_is_ignored(string constraints)
    {
        var rules = SchemaTestOntologies.OneProperty("string", constraints);
        Assert.Null(Check(rules, "abcdef"));
    }

    [Fact]
    public void Enum_considers_only_string_members()
    {
        var rules = SchemaTestOntologies.OneProperty("any", "{'enum':[1,'a',null,true]}");
        Assert.Null(Check(rules, "a"));
        Assert.Equal("'thing'.'p' violates constraint 'enum': value '1' not in allowed set [\"a\"]", Check(rules, "1")?.Message);

        // Non-string values are not subject to enum at all.
        Assert.Null(Check(rules, 7L));
        Assert.Null(Check(rules, true));
    }

    [Fact]
    public void Enum_that_is_not_a_list_is_ignored()
    {
        var rules = SchemaTestOntologies.OneProperty("string", "{'enum':'a'}");
        Assert.Null(Check(rules, "b"));
    }

    [Fact]
    public void Numeric_bounds_apply_to_ints_and_floats_and_ignore_non_numbers()
    {
        var rules = SchemaTestOntologies.OneProperty("any", "{'min':0.5,'max':'10'}");
        Assert.Equal("'thing'.'p' violates constraint 'min': value 0 is less than minimum 0.5", Check(rules, 0L)?.Message);
        Assert.Null(Check(rules, 0.5));
        Assert.Null(Check(rules, 1e300));
        Assert.Null(Check(rules, double.NaN));
        Assert.Null(Check(rules, "0"));
    }

    [Fact]
    public void Checks_run_in_the_original_order()
    {
        var numbers = SchemaTestOntologies.OneProperty("float", "{'max_exclusive':1,'min_exclusive':2,'max':0,'min':5}");
        Assert.Equal("min", Check(numbers, 1.0)?.Constraint);
        var strings = SchemaTestOntologies.OneProperty("string", "{'pattern':'x','max_length':1,'min_length':3,'enum':['ab']}");
        Assert.Equal("enum", Check(strings, "zz")?.Constraint);
        Assert.Equal("min_length", Check(strings, "ab")?.Constraint);
    }

    [Fact]
    public void Null_passes_type_and_constraints_and_counts_as_present()
    {
        var rules = new OntologyRules(SchemaTestOntologies.Parse(
            "{'node_types':{'t':{'properties':{'p':{'value_type':'int','required':true,'constraints':{'min':5}}}}},'edge_types':{}}"));
        Assert.Null(rules.ValidateNode("t", null, ValueMap.Of(("p", Value.Null))));
        Assert.Null(rules.ValidatePropertyUpdate("t", null, "p", Value.Null));
    }

    [Fact]
    public void Int_and_float_are_different_types_and_any_accepts_everything()
    {
        var floats = SchemaTestOntologies.OneProperty("float", "{}");
        Assert.Equal("'thing'.'p' expects Float, got int", Check(floats, 1L)?.Message);
        var anything = SchemaTestOntologies.OneProperty("any", "{}");
        Assert.Null(Check(anything, Value.FromList([1L, "x"])));
    }

    [Fact]
    public void Unenforced_constraints_are_accepted_and_ignored()
    {
        var rules = SchemaTestOntologies.OneProperty("string", "{'x_format':'email'}");
        Assert.Null(OntologyRules.ValidateSelf(rules.Ontology));
        Assert.Null(Check(rules, "not an email"));
    }

    [Fact]
    public void Patterns_are_safe_to_check_concurrently()
    {
        var rules = SchemaTestOntologies.OneProperty("string", @"{'pattern':'^[a-z]+\\d$'}");
        Parallel.For(0, 2000, i =>
        {
            var ok = i % 2 == 0;
            Assert.Equal(ok, Check(rules, ok ? "abc1" : "abc") is null);
        });
    }
}
