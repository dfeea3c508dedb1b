using Silk.Core.Entries;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Tests.Convergence;

/// <summary>The simulation's schema, its extensions (some of which conflict), and small id pools so that writes collide.</summary>
internal static class FuzzSchema
{
    public static readonly Ontology Ontology = OntologyJson.Parse("""
        {
          "node_types": {
            "entity": {"properties": {"name": {"value_type": "string", "required": true}}},
            "person": {"parent_type": "entity", "properties": {"age": {"value_type": "int", "constraints": {"min": 0}}}},
            "server": {"parent_type": "entity", "properties": {"port": {"value_type": "int"}}},
            "tag": {"properties": {"name": {"value_type": "string"}}, "subtypes": {"red": {"properties": {"shade": {"value_type": "int", "required": true}}}, "blue": {}}}
          },
          "edge_types": {
            "KNOWS": {"source_types": ["person"], "target_types": ["person"], "properties": {"since": {"value_type": "int"}}},
            "RUNS_ON": {"source_types": ["entity"], "target_types": ["server"]},
            "TAGGED": {"source_types": ["tag"], "target_types": ["entity"], "properties": {"since": {"value_type": "any", "required": true}}}
          }
        }
        """);

    /// <summary>Pairs (0,1), (2,8) and (3,4) conflict: whichever comes first in the log wins, the other is quarantined.</summary>
    public static readonly OntologyExtension[] Extensions =
    [
        OntologyJson.ParseExtension("""{"node_types": {"gadget": {"properties": {"name": {"value_type": "string"}}}}}"""),
        OntologyJson.ParseExtension("""{"node_types": {"gadget": {"parent_type": "entity", "properties": {"size": {"value_type": "float"}}}}}"""),
        OntologyJson.ParseExtension("""{"edge_types": {"USES": {"source_types": ["gadget"], "target_types": ["entity"]}}}"""),
        OntologyJson.ParseExtension("""{"node_type_updates": {"person": {"add_properties": {"nick": {"value_type": "string"}}}}}"""),
        OntologyJson.ParseExtension("""{"node_type_updates": {"person": {"add_properties": {"nick": {"value_type": "int"}}}}}"""),
        OntologyJson.ParseExtension("""{"node_type_updates": {"entity": {"relax_properties": ["name"]}}}"""),
        OntologyJson.ParseExtension("""{"edge_type_updates": {"KNOWS": {"add_source_types": ["server"]}}}"""),
        OntologyJson.ParseExtension("""{"node_type_updates": {"tag": {"add_subtypes": {"green": {}}}}}"""),
        OntologyJson.ParseExtension("""{"edge_types": {"USES": {"source_types": ["person"], "target_types": ["tag"]}}}"""),
    ];

    public static readonly string[] NodeIds = ["n0", "n1", "n2", "n3", "n4", "n5"];
    public static readonly string[] EdgeIds = ["e0", "e1", "e2", "e3"];
    public static readonly string[] NodeTypes = ["person", "person", "server", "entity", "tag", "gadget"];
    public static readonly string[] EdgeTypes = ["KNOWS", "KNOWS", "RUNS_ON", "TAGGED", "USES"];
    public static readonly string[] Keys = ["name", "age", "age", "port", "since", "nick", "shade", "free"];

    public static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public static Value RandomValue(Random random) => random.Next(8) switch
    {
        0 or 1 => Value.FromInt(random.Next(-1, 100)),
        2 or 3 => Value.FromString(Pick(random, ["a", "b", "c", "d"])),
        4 => Value.FromFloat(random.Next(0, 8) * 0.25),
        5 => Value.FromBool(random.Next(2) == 0),
        6 => Value.Null,
        _ => Value.FromList([Value.FromInt(random.Next(3)), Value.FromString("x")]),
    };

    /// <summary>Mostly valid properties for a node type (sometimes not, so that local writes get refused too).</summary>
    public static ValueMap NodeProperties(Random random, string nodeType, string? subtype)
    {
        var pairs = new List<(string, Value)>();
        if (random.Next(10) != 0) pairs.Add(("name", Value.FromString(Pick(random, ["ann", "bob", "cy", "dee"]))));
        switch (nodeType)
        {
            case "person" when random.Next(2) == 0:
                pairs.Add(("age", random.Next(12) == 0 ? Value.FromInt(-3) : Value.FromInt(random.Next(0, 90))));
                break;
            case "server" when random.Next(2) == 0:
                pairs.Add(("port", Value.FromInt(random.Next(1, 9000))));
                break;
            case "tag" when subtype == "red" && random.Next(8) != 0:
                pairs.Add(("shade", Value.FromInt(random.Next(0, 10))));
                break;
            case "gadget" when random.Next(2) == 0:
                pairs.Add(("size", Value.FromFloat(random.Next(1, 5) * 0.5)));
                break;
        }

        if (random.Next(6) == 0) pairs.Add(("nick", random.Next(2) == 0 ? Value.FromString("nn") : Value.FromInt(7)));
        return ValueMap.Of([.. pairs]);
    }

    public static string? SubtypeFor(Random random, string nodeType) =>
        nodeType == "tag" || random.Next(12) == 0 ? Pick(random, ["red", "blue", "green", null!]) : null;

    /// <summary>An op that a peer's validation would refuse, to be smuggled in by sync: it must end in quarantine.</summary>
    public static GraphOp InvalidOp(Random random) => random.Next(8) switch
    {
        0 => new AddNode(Pick(random, NodeIds), "alien", null, "A", ValueMap.Of(("name", "alien"))),
        1 => new AddNode(Pick(random, NodeIds), "person", null, "P", ValueMap.Of(("age", 3))),
        2 => new AddNode(Pick(random, NodeIds), "person", null, "P", ValueMap.Of(("name", "p"), ("age", "old"))),
        3 => new AddNode(Pick(random, NodeIds), "tag", "red", "T", ValueMap.Of(("name", "t"))),
        4 => new UpdateProperty(Pick(random, NodeIds), "age", Value.FromInt(-7)),
        5 => new AddEdge(Pick(random, EdgeIds), "NOPE", Pick(random, NodeIds), Pick(random, NodeIds), ValueMap.Empty),
        6 => new ExtendOntology(OntologyJson.ParseExtension("""{"node_types": {"person": {}}}""")),
        // Valid only once "gadget" exists: quarantined until an extension releases it (or for good).
        _ => new AddNode(Pick(random, NodeIds), "gadget", null, "G", ValueMap.Of(("name", "g"))),
    };

    /// <summary>Any op at all, for forged and future-dated entries (which must be dropped whatever they say).</summary>
    public static GraphOp AnyOp(Random random) => random.Next(3) switch
    {
        0 => new AddNode(Pick(random, NodeIds), "person", null, "F", ValueMap.Of(("name", "forged"))),
        1 => new UpdateProperty(Pick(random, NodeIds), "name", Value.FromString("forged")),
        _ => new RemoveNode(Pick(random, NodeIds)),
    };
}
