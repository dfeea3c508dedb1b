using Silk.Core.Entries;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Tests.Wire;

/// <summary>JSON number kinds follow serde_json, since a number's kind decides its msgpack bytes and so the hash.</summary>
public sealed class JsonNumberTests
{
    [Theory]
    [InlineData("0", "00")]
    [InlineData("-1", "ff")]
    [InlineData("0.0", "cb0000000000000000")]
    [InlineData("-0", "cb8000000000000000")] // serde_json: F64(-0.0), not the integer 0
    [InlineData("-0.0", "cb8000000000000000")]
    [InlineData("1e2", "cb4059000000000000")]
    [InlineData("9223372036854775807", "cf7fffffffffffffff")]
    [InlineData("-9223372036854775808", "d38000000000000000")]
    [InlineData("9223372036854775808", "cb43e0000000000000")] // beyond i64: a float, as the untagged Value falls through
    public void Number_kind_and_bytes(string json, string msgpackHex)
    {
        Assert.Equal(msgpackHex, Convert.ToHexStringLower(ValueCodec.Encode(ValueJson.Parse(json))));
    }

    [Theory]
    [InlineData("1e999")]
    [InlineData("-1e400")]
    public void Numbers_beyond_the_double_range_are_refused(string number)
    {
        // serde_json refuses these ("number out of range"); reading them as infinity would also make the
        // canonical ontology JSON (which writes non-finite floats as null) disagree with the parsed ontology.
        static string Op(string n) => $$"""{"op":"update_property","entity_id":"a","key":"k","value":{{n}}}""";
        static string Ontology(string n) =>
            """{"node_types":{"t":{"properties":{"p":{"value_type":"float","constraints":{"min":""" + n + "}}}}},\"edge_types\":{}}";

        // The same text with a finite number is accepted, so the refusals below are about the number alone.
        Assert.IsType<UpdateProperty>(GraphOpJson.Parse(Op("1.5")));
        Assert.Equal(1.5, OntologyJson.Parse(Ontology("1.5")).NodeTypes["t"].Properties["p"].Constraints!["min"].AsFloat);

        Assert.Throws<WireFormatException>(() => ValueJson.Parse(number));
        Assert.Throws<WireFormatException>(() => GraphOpJson.Parse(Op(number)));
        Assert.Throws<OntologyFormatException>(() => OntologyJson.Parse(Ontology(number)));
    }
}
