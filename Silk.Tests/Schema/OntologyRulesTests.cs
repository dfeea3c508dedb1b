using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Tests.Schema;

public class OntologyRulesTests
{
    private static readonly Ontology Zoo = SchemaTestOntologies.Parse("""
        {'node_types':{
            'animal':{'properties':{'name':{'value_type':'string','required':true},'legs':{'value_type':'int'}}},
            'bird':{'parent_type':'animal','properties':{'legs':{'value_type':'float'}}},
            'parrot':{'parent_type':'bird','subtypes':{'talking':{'properties':{'words':{'value_type':'int','required':true}}}}},
            'cage':{'subtypes':{}},
            'rock':{}},
         'edge_types':{
            'EATS':{'source_types':['animal'],'target_types':['animal','rock'],'properties':{'grams':{'value_type':'int','required':true}}},
            'NEVER':{'source_types':[],'target_types':[]}}}
        """);

    private static readonly OntologyRules Rules = new(Zoo);

    [Fact]
    public void Hierarchy_queries_follow_parent_types()
    {
        Assert.True(Rules.HasNodeType("parrot"));
        Assert.False(Rules.HasNodeType("EATS"));
        Assert.True(Rules.HasEdgeType("EATS"));
        Assert.True(Rules.IsSameOrDescendant("parrot", "animal"));
        Assert.True(Rules.IsSameOrDescendant("rock", "rock"));
        Assert.True(Rules.IsSameOrDescendant("unknown", "unknown"));
        Assert.False(Rules.IsSameOrDescendant("animal", "bird"));
        Assert.Equal(["animal", "bird", "parrot"], Rules.SelfAndDescendants("animal"));
        Assert.Equal(["rock"], Rules.SelfAndDescendants("rock"));
        Assert.Equal(["ghost"], Rules.SelfAndDescendants("ghost"));
    }

    [Fact]
    public void Parent_cycles_are_tolerated()
    {
        var rules = new OntologyRules(SchemaTestOntologies.Parse("""
            {'node_types':{
                'a':{'parent_type':'b','properties':{'p':{'value_type':'int'}}},
                'b':{'parent_type':'a','properties':{'p':{'value_type':'string'},'q':{'value_type':'bool','required':true}}},
                'c':{'parent_type':'a'}},
             'edge_types':{}}
            """));
        Assert.Null(OntologyRules.ValidateSelf(rules.Ontology));
        Assert.True(rules.IsSameOrDescendant("a", "b"));
        Assert.True(rules.IsSameOrDescendant("b", "a"));
        Assert.Equal(["a", "b", "c"], rules.SelfAndDescendants("a"));

        // The type's own definition is applied last, so it wins over the rest of the cycle.
        Assert.Null(rules.ValidateNode("a", null, ValueMap.Of(("p", 1L), ("q", true))));
        Assert.Equal("'a' requires property 'q'", rules.ValidateNode("a", null, ValueMap.Of(("p", 1L)))?.Message);
        Assert.Equal("'c'.'p' expects Int, got string", rules.ValidateNode("c", null, ValueMap.Of(("p", "x"), ("q", true)))?.Message);
    }

    [Fact]
    public void Nodes_inherit_and_override_properties()
    {
        Assert.Equal("'bird' requires property 'name'", Rules.ValidateNode("bird", null, ValueMap.Empty)?.Message);
        Assert.Equal("'bird'.'legs' expects Float, got int", Rules.ValidateNode("bird", null, ValueMap.Of(("name", "b"), ("legs", 2L)))?.Message);
        Assert.Null(Rules.ValidateNode("bird", null, ValueMap.Of(("name", "b"), ("legs", 2.0), ("extra", "open world"))));
    }

    [Fact]
    public void Required_properties_are_checked_before_values()
    {
        var violation = Rules.ValidateNode("animal", null, ValueMap.Of(("legs", "four")));
        Assert.Equal(SchemaViolationKind.MissingRequiredProperty, violation?.Kind);
    }

    [Fact]
    public void Subtypes_are_mandatory_when_declared_and_open_otherwise()
    {
        Assert.Equal("'parrot' requires a subtype (allowed: [\"talking\"])", Rules.ValidateNode("parrot", null, ValueMap.Of(("name", "p")))?.Message);
        Assert.Equal("'cage' requires a subtype (allowed: [])", Rules.ValidateNode("cage", null, ValueMap.Empty)?.Message);
        Assert.Equal("'parrot' requires property 'words'", Rules.ValidateNode("parrot", "talking", ValueMap.Of(("name", "p")))?.Message);
        Assert.Null(Rules.ValidateNode("parrot", "silent", ValueMap.Of(("name", "p"))));
        Assert.Null(Rules.ValidateNode("rock", "granite", ValueMap.Empty));
    }

    [Fact]
    public void Skipping_required_still_checks_types_and_subtypes()
    {
        Assert.Null(Rules.ValidateNode("parrot", "talking", ValueMap.Empty, skipRequired: true));
        Assert.Equal(SchemaViolationKind.MissingSubtype, Rules.ValidateNode("parrot", null, ValueMap.Empty, skipRequired: true)?.Kind);
        Assert.Equal(SchemaViolationKind.WrongPropertyType, Rules.ValidateNode("animal", null, ValueMap.Of(("legs", "x")), skipRequired: true)?.Kind);
    }

    [Fact]
    public void Skipping_required_on_an_edge_still_checks_its_type_endpoints_and_values()
    {
        Assert.Null(Rules.ValidateEdge("EATS", "bird", "rock", ValueMap.Empty, skipRequired: true));
        Assert.Equal(SchemaViolationKind.MissingRequiredProperty, Rules.ValidateEdge("EATS", "bird", "rock", ValueMap.Empty)?.Kind);
        Assert.Equal(SchemaViolationKind.InvalidSource, Rules.ValidateEdge("EATS", "rock", "rock", ValueMap.Empty, skipRequired: true)?.Kind);
        Assert.Equal(SchemaViolationKind.WrongPropertyType, Rules.ValidateEdge("EATS", "bird", "rock", ValueMap.Of(("grams", "x")), skipRequired: true)?.Kind);
        Assert.Equal(SchemaViolationKind.UnknownEdgeType, Rules.ValidateEdge("FLIES", "bird", "rock", ValueMap.Empty, skipRequired: true)?.Kind);
    }

    [Fact]
    public void Edges_accept_descendants_of_allowed_endpoints()
    {
        var grams = ValueMap.Of(("grams", 5L));
        Assert.Null(Rules.ValidateEdge("EATS", "parrot", "rock", grams));
        Assert.Equal("edge 'EATS' cannot have source type 'rock' (allowed: [\"animal\"])", Rules.ValidateEdge("EATS", "rock", "rock", grams)?.Message);
        Assert.Equal(SchemaViolationKind.InvalidTarget, Rules.ValidateEdge("EATS", "bird", "cage", grams)?.Kind);
        Assert.Equal(SchemaViolationKind.InvalidSource, Rules.ValidateEdge("NEVER", "rock", "rock", ValueMap.Empty)?.Kind);
        Assert.Equal("'EATS' requires property 'grams'", Rules.ValidateEdge("EATS", "bird", "bird", ValueMap.Empty)?.Message);
    }

    [Fact]
    public void Property_updates_check_own_and_subtype_properties_only()
    {
        Assert.Null(Rules.ValidatePropertyUpdate("bird", null, "name", 5L));
        Assert.Equal("'bird'.'legs' expects Float, got int", Rules.ValidatePropertyUpdate("bird", null, "legs", 2L)?.Message);
        Assert.Equal("'parrot'.'words' expects Int, got string", Rules.ValidatePropertyUpdate("parrot", "talking", "words", "many")?.Message);
        Assert.Null(Rules.ValidatePropertyUpdate("parrot", null, "words", "many"));
        Assert.Equal("'EATS'.'grams' expects Int, got float", Rules.ValidateEdgePropertyUpdate("EATS", "grams", 1.0)?.Message);
    }

    [Fact]
    public void Self_check_reports_endpoints_then_parents_then_constraints()
    {
        var all = SchemaTestOntologies.Parse("""
            {'node_types':{'a':{'parent_type':'zz','properties':{'p':{'value_type':'int','constraints':{'minimum':1}}}}},
             'edge_types':{'E':{'source_types':['a'],'target_types':['q']}}}
            """);
        Assert.Equal(SchemaViolationKind.InvalidTarget, OntologyRules.ValidateSelf(all)?.Kind);

        var noEdge = all with { EdgeTypes = SortedMap.Empty<EdgeTypeDef>() };
        var parent = OntologyRules.ValidateSelf(noEdge);
        Assert.Equal(SchemaViolationKind.UnknownNodeType, parent?.Kind);
        Assert.Equal(("a", "zz"), (parent?.TypeName, parent?.NodeType));

        var noParent = noEdge with { NodeTypes = noEdge.NodeTypes.SetItem("a", noEdge.NodeTypes["a"] with { ParentType = null }) };
        var constraint = OntologyRules.ValidateSelf(noParent);
        Assert.Equal(SchemaViolationKind.UnknownConstraint, constraint?.Kind);
        Assert.Equal(OntologyRules.EnforcedConstraintNames, constraint?.Allowed);
    }

    [Fact]
    public void Merge_never_modifies_its_input()
    {
        var before = Zoo.ContentHash();
        var grown = OntologyRules.Merge(Zoo, OntologyJson.ParseExtension("""{"node_type_updates":{"rock":{"add_subtypes":{"granite":{}}}}}"""));
        Assert.Equal(before, Zoo.ContentHash());
        Assert.Null(Zoo.NodeTypes["rock"].Subtypes);

        // Adding the first subtype makes a subtype mandatory from then on.
        Assert.Equal(SchemaViolationKind.MissingSubtype, new OntologyRules(grown).ValidateNode("rock", null, ValueMap.Empty)?.Kind);

        var failing = OntologyJson.ParseExtension("""{"node_types":{"tree":{}},"edge_types":{"GROWS":{"source_types":["tree"],"target_types":["soil"]}}}""");
        var ex = Assert.Throws<SchemaException>(() => OntologyRules.Merge(Zoo, failing));
        Assert.Equal(SchemaViolationKind.ValidationFailed, ex.Violation.Kind);
        Assert.Equal(SchemaViolationKind.InvalidTarget, ex.Violation.Inner?.Kind);
        Assert.Equal(ex.Violation.Message, ex.Message);
        Assert.Equal(before, Zoo.ContentHash());
    }

    [Theory]
    [InlineData("""{"edge_type_updates":{"EATS":{"add_target_types":["bird","bird"]}}}""", SchemaViolationKind.DuplicateBinding)]
    [InlineData("""{"edge_type_updates":{"EATS":{"add_target_types":["animal"]}}}""", SchemaViolationKind.DuplicateBinding)]
    [InlineData("""{"edge_type_updates":{"EATS":{"add_source_types":["ghost"]}}}""", SchemaViolationKind.UnknownBindingType)]
    [InlineData("""{"node_type_updates":{"rock":{"relax_properties":["weight"]}}}""", SchemaViolationKind.UnknownProperty)]
    [InlineData("""{"node_type_updates":{"nope":{}}}""", SchemaViolationKind.EmptyExtension)]
    [InlineData("""{"node_types":{"rock":{}},"edge_types":{"EATS":{"source_types":[],"target_types":[]}}}""", SchemaViolationKind.DuplicateNodeType)]
    public void Merge_refusals(string extension, SchemaViolationKind kind)
    {
        var ex = Assert.Throws<SchemaException>(() => OntologyRules.Merge(Zoo, OntologyJson.ParseExtension(extension)));
        Assert.Equal(kind, ex.Violation.Kind);
    }

    [Fact]
    public void Merge_may_bind_a_node_type_added_by_the_same_extension()
    {
        var merged = OntologyRules.Merge(Zoo, OntologyJson.ParseExtension(
            """{"node_types":{"seed":{}},"edge_type_updates":{"EATS":{"add_target_types":["seed"]}}}"""));
        Assert.Equal(["animal", "rock", "seed"], merged.EdgeTypes["EATS"].TargetTypes.ToArray());
    }

    [Fact]
    public void Relaxing_an_already_optional_property_is_accepted()
    {
        var merged = OntologyRules.Merge(Zoo, OntologyJson.ParseExtension("""{"node_type_updates":{"animal":{"relax_properties":["legs","name"]}}}"""));
        Assert.False(merged.NodeTypes["animal"].Properties["name"].Required);
    }
}
