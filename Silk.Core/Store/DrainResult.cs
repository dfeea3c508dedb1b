using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Core.Store;

/// <summary>
/// What <see cref="GraphStore.DrainAsync"/> did: the hashes of the operations it applied, in order, and,
/// when it stopped early, the position of the operation that failed and why (nothing after it was applied).
/// </summary>
public sealed record DrainResult(IReadOnlyList<Hash> Applied, int? FailedIndex, ValidationException? Error)
{
    public bool Complete => Error is null;
}
