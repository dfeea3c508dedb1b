using Silk.Core.Schema;

namespace Silk.Tests.Schema;

public class FingerprintTests
{
    private static readonly Ontology Base = SchemaTestOntologies.Parse("""
        {'node_types':{
            'entity':{'properties':{'name':{'value_type':'string','required':true}}},
            'server':{'parent_type':'entity','properties':{
                'status':{'value_type':'string','constraints':{'enum':['up',3,'down'],'x_note':'free'}},
                'load':{'value_type':'float','constraints':{'min':0,'max_exclusive':1.0}}},
                'subtypes':{'vm':{'properties':{'host':{'value_type':'string','constraints':{'pattern':'^h'}}}}}}},
         'edge_types':{'RUNS':{'source_types':['server'],'target_types':['entity'],
            'properties':{'since':{'value_type':'int','required':true,'constraints':{'min_length':1}}}}}}
        """);

    [Fact]
    public void Facts_follow_the_documented_grammar()
    {
        string[] expected =
        [
            "constraint:server:load:max_exclusive:1.0",
            "constraint:server:load:min:0",
            "constraint:server:status:enum:down",
            "constraint:server:status:enum:up",
            "constraint:server:vm:host:pattern:\"^h\"",
            "edge:RUNS",
            "edge:RUNS:src:server",
            "edge:RUNS:tgt:entity",
            "edgeconstraint:RUNS:since:min_length:1",
            "edgeprop:RUNS:since:int:required",
            "fingerprint_version:2",
            "inherited:server:name:string:required",
            "prop:entity:name:string:required",
            "prop:server:load:float:optional",
            "prop:server:status:string:optional",
            "subprop:server:vm:host:string:optional",
            "subtype:server:vm",
            "type:entity",
            "type:server",
            "type:server:parent:entity",
        ];
        Assert.Equal(expected, OntologyRules.Fingerprint(Base));
    }

    [Fact]
    public void Compatibility_is_judged_by_hash_then_fact_inclusion()
    {
        var baseFacts = OntologyRules.Fingerprint(Base).ToList();
        var baseHash = Base.ContentHash().ToHex();
        Assert.Equal(OntologyCompatibility.Identical, OntologyRules.CheckCompatibility(Base, baseHash, baseFacts));
        Assert.Equal(OntologyCompatibility.Identical, OntologyRules.CheckCompatibility(Base, baseHash.ToUpperInvariant(), []));

        // Descriptions change the hash but no fact.
        var described = Base with { NodeTypes = Base.NodeTypes.SetItem("entity", Base.NodeTypes["entity"] with { Description = "root" }) };
        Assert.Equal(OntologyCompatibility.Identical, OntologyRules.CheckCompatibility(described, baseHash, baseFacts));

        var extended = OntologyRules.Merge(Base, OntologyJson.ParseExtension("""{"node_types":{"rack":{}}}"""));
        Assert.Equal(OntologyCompatibility.Superset, OntologyRules.CheckCompatibility(extended, baseHash, baseFacts));
        Assert.Equal(OntologyCompatibility.Subset, OntologyRules.CheckCompatibility(Base, extended.ContentHash().ToHex(), OntologyRules.Fingerprint(extended).ToList()));

        var other = OntologyRules.Merge(Base, OntologyJson.ParseExtension("""{"node_types":{"switch":{}}}"""));
        Assert.Equal(OntologyCompatibility.Divergent, OntologyRules.CheckCompatibility(extended, other.ContentHash().ToHex(), OntologyRules.Fingerprint(other).ToList()));
    }

    [Fact]
    public void A_widened_edge_binding_makes_a_superset_and_equal_hashes_are_identical_whatever_the_facts()
    {
        var widened = OntologyRules.Merge(Base, OntologyJson.ParseExtension("""{"edge_type_updates":{"RUNS":{"add_target_types":["server"]}}}"""));
        var added = OntologyRules.Fingerprint(widened).Except(OntologyRules.Fingerprint(Base)).ToList();

        Assert.Equal(["edge:RUNS:tgt:server"], added);
        Assert.Equal(OntologyCompatibility.Superset, OntologyRules.CheckCompatibility(widened, Base.ContentHash().ToHex(), OntologyRules.Fingerprint(Base).ToList()));
        Assert.Equal(OntologyCompatibility.Subset, OntologyRules.CheckCompatibility(Base, widened.ContentHash().ToHex(), OntologyRules.Fingerprint(widened).ToList()));
        // As the original: a matching hash answers identical before any fact is compared.
        Assert.Equal(OntologyCompatibility.Identical, OntologyRules.CheckCompatibility(Base, Base.ContentHash().ToHex(), ["type:elsewhere"]));
    }

    [Fact]
    public void Number_kind_of_a_bound_is_a_distinct_fact()
    {
        var withInt = SchemaTestOntologies.OneProperty("float", "{'min':0}").Ontology;
        var withFloat = SchemaTestOntologies.OneProperty("float", "{'min':0.0}").Ontology;
        Assert.Equal(OntologyCompatibility.Divergent, OntologyRules.CheckCompatibility(withInt, withFloat.ContentHash().ToHex(), OntologyRules.Fingerprint(withFloat).ToList()));
    }
}
