namespace Silk.Core.Graph;

/// <summary>pattern_match (SPEC §11): chains of nodes whose types follow a sequence.</summary>
public sealed partial class MaterializedGraph
{
    /// <summary>
    /// Start nodes are the live nodes of <c>typeSequence[0]</c> or a descendant type, in id order; each
    /// further hop follows a visible outgoing edge (neighbours in id order) to a node whose type is
    /// exactly the next one and that is not yet in the chain. Chains are listed per start node, and the
    /// list is cut at <paramref name="maxResults"/> as soon as it is reached (as the original does).
    /// Parallel edges give repeated chains, as in the original.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> PatternMatch(IReadOnlyList<string> typeSequence, int maxResults = 1000)
    {
        ArgumentNullException.ThrowIfNull(typeSequence);
        ArgumentOutOfRangeException.ThrowIfNegative(maxResults);
        if (typeSequence.Count == 0) return [];
        var results = new List<List<NodeState>>();
        foreach (var start in LiveNodesOfType(typeSequence[0]))
        {
            List<List<NodeState>> chains = [[start]];
            for (var step = 1; step < typeSequence.Count; step++)
            {
                var type = typeSequence[step];
                var extended = new List<List<NodeState>>();
                foreach (var chain in chains)
                {
                    foreach (ref readonly var next in Outgoing(chain[^1]).AsSpan())
                    {
                        if (!Visible(next) || !string.Equals(next.Other.NodeType, type, StringComparison.Ordinal) || chain.Contains(next.Other)) continue;
                        extended.Add([.. chain, next.Other]);
                        if (results.Count + extended.Count >= maxResults)
                        {
                            results.AddRange(extended);
                            return Chains(results, maxResults);
                        }
                    }
                }

                chains = extended;
            }

            results.AddRange(chains);
            if (results.Count >= maxResults) return Chains(results, maxResults);
        }

        return Chains(results, maxResults);
    }

    private static List<IReadOnlyList<string>> Chains(List<List<NodeState>> chains, int maxResults)
    {
        var count = Math.Min(chains.Count, maxResults);
        var result = new List<IReadOnlyList<string>>(count);
        for (var i = 0; i < count; i++) result.Add(chains[i].ConvertAll(n => n.Id));
        return result;
    }
}
