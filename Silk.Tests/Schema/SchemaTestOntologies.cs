using Silk.Core.Schema;

namespace Silk.Tests.Schema;

/// <summary>Small ontologies for unit tests; JSON with single quotes for readability.</summary>
internal static class SchemaTestOntologies
{
    public static Ontology Parse(string json) => OntologyJson.Parse(json.Replace('\'', '"'));

    /// <summary>A node type 'thing' whose property 'p' has the given type and constraints JSON.</summary>
    public static OntologyRules OneProperty(string valueType, string constraintsJson) =>
        new(Parse($"{{'node_types':{{'thing':{{'properties':{{'p':{{'value_type':'{valueType}','constraints':{constraintsJson}}}}}}}}},'edge_types':{{}}}}"));
}
