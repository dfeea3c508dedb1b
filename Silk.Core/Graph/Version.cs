using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Wire;

namespace Silk.Core.Graph;

/// <summary>
/// Who wrote a register's value: the entry's clock under the last-writer-wins order, with the entry
/// hash breaking exact clock ties so that every peer picks the same winner in every arrival order.
/// </summary>
internal readonly record struct Version(ClockStamp Clock, Hash Source) : IComparable<Version>
{
    public static Version Of(Entry entry) => new(entry.Clock, entry.Hash);

    public int CompareTo(Version other)
    {
        var c = Clock.CompareLww(other.Clock);
        return c != 0 ? c : Source.CompareTo(other.Source);
    }

    public bool Beats(Version other) => CompareTo(other) > 0;
}
