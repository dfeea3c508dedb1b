using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Core.Signing;

/// <summary>One human sentence per <see cref="SignatureVerdict"/>, for sync answers and logs.</summary>
public static class SignatureReasons
{
    public static string Describe(SignatureDecision decision, Entry entry) => Describe(decision.Reason, entry);

    public static string Describe(SignatureVerdict verdict, Entry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Describe(verdict, entry.Hash, entry.Author);
    }

    /// <example>"entry 1f…e0 dropped: unsigned entry while signatures are required"</example>
    public static string Describe(SignatureVerdict verdict, Hash hash, string author) => verdict switch
    {
        SignatureVerdict.Accepted => $"entry {hash.ToHex()} accepted",
        SignatureVerdict.Unsigned => $"entry {hash.ToHex()} dropped: unsigned entry while signatures are required",
        SignatureVerdict.UnknownAuthor =>
            $"entry {hash.ToHex()} dropped: author '{author}' is not a trusted author while signatures are required",
        SignatureVerdict.BadSignature => $"entry {hash.ToHex()} dropped: signature verification failed for author '{author}'",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "unknown signature verdict"),
    };
}
