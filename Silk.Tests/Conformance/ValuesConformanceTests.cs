using Silk.Core.Wire;
using static Silk.Tests.Conformance.Vectors;

namespace Silk.Tests.Conformance;

/// <summary>values.json: the bare msgpack form of every Value kind and size boundary.</summary>
public sealed class ValuesConformanceTests
{
    private const string File = "values.json";

    public static TheoryData<string> Cases => Names(File, "values");

    private static System.Text.Json.JsonElement Case(string name) => ByName(File, ["values"], name);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encode_matches_the_original(string name)
    {
        var v = Case(name);
        Assert.Equal(Str(v, "msgpack_hex"), ToHex(ValueCodec.Encode(ToValue(Prop(v, "value")))));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decode_reencodes_to_the_same_bytes_and_equals_per_vector(string name)
    {
        var v = Case(name);
        var bytes = HexOf(v, "msgpack_hex");
        var decoded = ValueCodec.Decode(bytes);
        Assert.Equal(Str(v, "msgpack_hex"), ToHex(ValueCodec.Encode(decoded)));

        // decodes_back_equal is Rust's PartialEq: NaN != NaN, everything else equal.
        var expected = ToValue(Prop(v, "value"));
        Assert.Equal(Prop(v, "decodes_back_equal").GetBoolean(), decoded.Equals(expected));
        Assert.Equal(Prop(v, "decodes_back_equal").GetBoolean(), decoded.Equals(ToValue(Prop(v, "decoded_back"))));
        Assert.Equal(expected.Kind, decoded.Kind);
        if (decoded.Kind == ValueKind.Float)
        {
            // Bit-exact, so -0.0 and the NaN payload survive.
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.AsFloat), BitConverter.DoubleToInt64Bits(decoded.AsFloat));
        }
    }
}
