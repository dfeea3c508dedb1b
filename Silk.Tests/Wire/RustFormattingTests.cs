using Silk.Core.Wire;

namespace Silk.Tests.Wire;

public class RustFormattingTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-0.0, "-0")]
    [InlineData(0.5, "0.5")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(2000.0, "2000")]
    [InlineData(1.5, "1.5")]
    [InlineData(2.75, "2.75")]
    [InlineData(65535.0, "65535")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(123456.789, "123456.789")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(1e15, "1000000000000000")]
    [InlineData(1e16, "10000000000000000")]
    [InlineData(1e21, "1000000000000000000000")]
    [InlineData(1.25e-7, "0.000000125")]
    [InlineData(9007199254740993.0, "9007199254740992")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void Float_prints_as_rust_display(double value, string expected) =>
        Assert.Equal(expected, RustDisplay.Float(value));

    [Fact]
    public void Float_never_uses_exponent_notation_at_the_extremes()
    {
        Assert.Equal("0." + new string('0', 299) + "1", RustDisplay.Float(1e-300));
        Assert.Equal("1" + new string('0', 300), RustDisplay.Float(1e300));
        Assert.Equal("0." + new string('0', 323) + "5", RustDisplay.Float(double.Epsilon));
        Assert.Equal("-17976931348623157" + new string('0', 292), RustDisplay.Float(double.MinValue));
    }

    [Fact]
    public void Float_digits_round_trip()
    {
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (!double.IsFinite(value)) continue;
            var text = RustDisplay.Float(value);
            Assert.DoesNotContain('E', text);
            Assert.DoesNotContain('e', text);
            Assert.Equal(value, double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [InlineData("abc", "\"abc\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("l1\nl2\t\r\0", "\"l1\\nl2\\t\\r\\0\"")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("é😀", "\"é😀\"")]
    [InlineData("\u0007", "\"\\u{7}\"")]
    [InlineData("e\u0301", "\"e\\u{301}\"")]
    [InlineData("\u200b", "\"\\u{200b}\"")]
    [InlineData("\u00a0", "\"\\u{a0}\"")]
    public void String_prints_as_rust_debug(string value, string expected) =>
        Assert.Equal(expected, RustDebug.String(value));

    [Fact]
    public void String_list_prints_as_rust_debug()
    {
        Assert.Equal("[]", RustDebug.StringList([]));
        Assert.Equal("[\"internal\", \"oss\"]", RustDebug.StringList(["internal", "oss"]));
    }
}
