using Silk.Core.Indexing;

namespace Silk.Api.Indexes;

/// <summary>One entry of <c>Silk:Indexes</c>: an index the server declares at every start.</summary>
public sealed class IndexSetting
{
    public const string SectionName = "Silk:Indexes";

    /// <summary>The index's name (letters, digits, <c>_ - .</c>, at most 64).</summary>
    public string Name { get; set; } = "";

    /// <summary>The node type it covers (with the types below it).</summary>
    public string NodeType { get; set; } = "";

    /// <summary>The property it orders them by.</summary>
    public string Property { get; set; } = "";

    public IndexDefinition ToDefinition() => new(Name, NodeType, Property);

    /// <summary>Why these settings cannot work, each naming its setting; empty when they can.</summary>
    internal static IEnumerable<string> Problems(IReadOnlyList<IndexSetting> settings)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < settings.Count; i++)
        {
            var s = settings[i];
            if (s is null) continue;
            if (s.ToDefinition().Problem() is { } problem) yield return $"Setting {SectionName}:{i} is invalid: {problem}.";
            else if (!names.Add(s.Name)) yield return $"Setting {SectionName}:{i}:Name is \"{s.Name}\", which an earlier entry already uses; index names are unique.";
        }
    }
}
