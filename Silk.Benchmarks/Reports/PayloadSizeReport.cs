using Silk.Benchmarks.Workloads;
using Silk.Core.Store;
using Silk.Core.Sync;

namespace Silk.Benchmarks.Reports;

/// <summary>
/// Sync payload bytes at 0/50/90/99 % overlap with 10,000 entries, when the peer has diverged (it
/// holds a prefix of our log plus one entry of its own, so its head is unknown to us). The original's
/// rule (Compatible) then re-sends the whole shared history; Delta sends what the peer lacks and asks
/// again for any parent a bloom false positive left out.
/// </summary>
internal static class PayloadSizeReport
{
    public static int Run()
    {
        using var source = BaselineWorkloads.Store10k();
        var all = source.EntriesSince(null);
        Console.WriteLine("| overlap | entries peer lacks | compatible entries | compatible bytes | delta entries (all rounds) | delta bytes (all rounds) | delta rounds | delta ÷ compatible |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var overlap in new[] { 0, 50, 90, 99 })
        {
            var shared = 1 + (10_000 * overlap / 100);
            using var peer = GraphStore.FromSnapshot("bench-b", new Snapshot(all.Take(shared).ToList()));
            peer.AddNode("peer-own", "item", "p", BaselineWorkloads.NodeProperties(-1));
            var offer = peer.GenerateOffer();
            var compatible = source.ComputePayload(offer, PayloadMode.Compatible);
            var compatibleBytes = compatible.ToBytes().Length;

            var delta = source.ComputePayload(offer, PayloadMode.Delta);
            var deltaBytes = delta.ToBytes().Length;
            var deltaEntries = delta.Entries.Count;
            var rounds = 1;
            var result = peer.Merge(delta, holdUnresolved: true);
            while (result.MissingParents.Count > 0)
            {
                var more = source.EntriesFor(result.MissingParents);
                deltaBytes += more.ToBytes().Length;
                deltaEntries += more.Entries.Count;
                rounds++;
                result = peer.Merge(more, holdUnresolved: true);
            }

            if (!peer.EntriesSince(null).Select(e => e.Hash).ToHashSet().IsSupersetOf(all.Select(e => e.Hash)))
            {
                throw new InvalidOperationException($"delta sync at {overlap}% left the peer incomplete");
            }

            Console.WriteLine($"| {overlap} % | {all.Count - shared} | {compatible.Entries.Count} | {compatibleBytes:N0} | {deltaEntries} | {deltaBytes:N0} | {rounds} | {(double)deltaBytes / compatibleBytes:P1} |");
        }

        return 0;
    }
}
