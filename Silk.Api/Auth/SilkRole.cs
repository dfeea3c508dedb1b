namespace Silk.Api.Auth;

/// <summary>
/// What an API key may do. <see cref="Admin"/> ⊇ <see cref="Write"/> ⊇ <see cref="Read"/>; <see cref="Peer"/> reaches
/// only the sync protocol routes (<c>/sync/*</c>), which <see cref="Admin"/> reaches too (an operator can sync by hand).
/// </summary>
public enum SilkRole
{
    /// <summary>GET routes, read-only queries (also <c>POST /query</c>, <c>POST /graph/pattern-match</c>), <c>/tail</c>.</summary>
    Read,

    /// <summary>Read, plus every mutation (nodes, edges, batch, ontology extensions, observations, revalidation).</summary>
    Write,

    /// <summary>The sync protocol only: <c>/sync/offer</c>, <c>/sync/payload</c>, <c>/sync/entries</c>, <c>/sync/snapshot</c>.</summary>
    Peer,

    /// <summary>Everything: write, sync, compaction, peers and gossip rounds.</summary>
    Admin,
}

public static class SilkRoles
{
    /// <summary>Whether a key of role <paramref name="granted"/> may call a route that needs <paramref name="required"/>.</summary>
    public static bool Grants(this SilkRole granted, SilkRole required) => required switch
    {
        SilkRole.Read => granted is SilkRole.Read or SilkRole.Write or SilkRole.Admin,
        SilkRole.Write => granted is SilkRole.Write or SilkRole.Admin,
        SilkRole.Peer => granted is SilkRole.Peer or SilkRole.Admin,
        _ => granted == SilkRole.Admin,
    };

    /// <summary>The lower-case name used in settings, problems and the OpenAPI document.</summary>
    public static string Name(this SilkRole role) => role switch
    {
        SilkRole.Read => "read",
        SilkRole.Write => "write",
        SilkRole.Peer => "peer",
        _ => "admin",
    };

    /// <summary>A role from its name (any case); false for anything else, numbers included.</summary>
    public static bool TryParse(string? text, out SilkRole role)
    {
        foreach (var candidate in Enum.GetValues<SilkRole>())
        {
            if (string.Equals(text?.Trim(), candidate.Name(), StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }
}
