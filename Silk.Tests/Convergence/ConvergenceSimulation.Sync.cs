using Silk.Core.Persistence;
using Silk.Core.Store;
using Silk.Core.Sync;
using Silk.Core.Wire;

namespace Silk.Tests.Convergence;

/// <summary>
/// Sync over the simulated network: A sends its offer (bytes) to B; B answers with a payload
/// (bytes) computed for that offer; A merges it; in delta mode A asks B for missing parents in
/// further need rounds. Damaged messages must be refused with an exception and change nothing.
/// </summary>
internal sealed partial class ConvergenceSimulation
{
    private const int MaxNeedRounds = 5;

    private void StartRandomSync()
    {
        if (RandomUpPeer() is not { } a) return;
        var b = _peers[(a.Index + 1 + _rng.Next(_peers.Count - 1)) % _peers.Count];
        var mode = _rng.Next(2) == 0 ? PayloadMode.Delta : PayloadMode.Compatible;
        _stats.Add(FuzzCounter.SyncsStarted);
        var offer = a.S.GenerateOffer();
        if (_rng.Next(8) == 0)
        {
            // As a 0.2.4 peer offers: the answer comes in the 8-field entry layout (D1).
            offer = offer with { ProtocolVersion = 1 };
            _stats.Add(FuzzCounter.LegacyProtocolOffers);
        }

        _net.Send(_step, a.Index, b.Index, MessageKind.Offer, offer.ToBytes(), mode, 0, _epoch);
    }

    private void Deliver(Message message)
    {
        // Messages from before a compaction still arrive: they carry history the compacted peers must not take back.
        if (message.Epoch != _epoch) _stats.Add(FuzzCounter.MessagesFromBeforeCompaction);

        if (!_net.Connected(message.From, message.To))
        {
            _stats.Add(FuzzCounter.MessagesCutByPartition);
            return;
        }

        var peer = _peers[message.To];
        if (!peer.IsUp)
        {
            _stats.Add(FuzzCounter.MessagesLostToDownPeer);
            return;
        }

        _stats.Add(FuzzCounter.MessagesDelivered);
        switch (message.Kind)
        {
            case MessageKind.Offer:
                AnswerOffer(peer, message);
                break;
            case MessageKind.Need:
                AnswerNeed(peer, message);
                break;
            default:
                MergeMessage(peer, message);
                break;
        }
    }

    private bool TryDecode<T>(Message message, Func<byte[], T> decode, out T? decoded)
    {
        decoded = default;
        try
        {
            decoded = decode(message.Bytes);
        }
        catch (WireFormatException ex)
        {
            if (message.Damage == Damage.None) throw new FuzzFailure($"an undamaged {message.Kind} from p{message.From} failed to decode: {ex.Message}", ex);
            _stats.Add(FuzzCounter.DamagedMessagesRefused);
            Trace($"p{message.To} refuses {message.Damage} {message.Kind} from p{message.From}: {ex.Message}");
            return false;
        }

        if (message.Damage == Damage.Truncated) throw new FuzzFailure($"a truncated {message.Kind} ({message.Bytes.Length} bytes) from p{message.From} decoded");
        return true;
    }

    private void AnswerOffer(SimPeer peer, Message message)
    {
        if (!TryDecode(message, b => SyncOffer.Decode(b), out var offer)) return;
        var payload = peer.S.ComputePayload(offer!, message.Mode);
        Trace($"{peer.Id} answers {message.Mode} offer from p{message.From}: {payload.Entries.Count} entries");
        _net.Send(_step, peer.Index, message.From, MessageKind.Payload, payload.ToBytes(offer!.EntryFormForReply), message.Mode, 0, _epoch);
    }

    private void AnswerNeed(SimPeer peer, Message message)
    {
        if (!TryDecode(message, b => SyncPayload.Decode(b), out var request)) return;
        var reply = peer.S.EntriesFor(request!.Need);
        _stats.Add(FuzzCounter.NeedRounds);
        _net.Send(_step, peer.Index, message.From, MessageKind.NeedReply, reply.ToBytes(), PayloadMode.Delta, message.Round, _epoch);
    }

    private void MergeMessage(SimPeer peer, Message message)
    {
        if (!TryDecode(message, b => SyncPayload.Decode(b), out var payload)) return;
        var hold = message.Mode == PayloadMode.Delta;
        var result = MergeInto(peer, payload!, hold, $"{message.Kind} from p{message.From}", message.Damage != Damage.None);
        if (result is { MissingParents.Count: > 0 } && hold && message.Kind != MessageKind.Inject && message.Round < MaxNeedRounds)
        {
            var request = new SyncPayload([], result.MissingParents);
            _net.Send(_step, peer.Index, message.From, MessageKind.Need, request.ToBytes(), PayloadMode.Delta, message.Round + 1, _epoch);
        }
    }

    /// <summary>
    /// Merges a decoded payload. A refusal must be atomic; what a merge that returned reports as
    /// present is acknowledged; forged entries must never get in.
    /// </summary>
    private MergeResult? MergeInto(SimPeer peer, SyncPayload payload, bool hold, string what, bool damaged)
    {
        var store = peer.S;
        var heads = store.Heads;
        var count = store.EntryCount;
        var unknown = payload.Entries.Select(e => e.Hash).Where(h => store.GetEntry(h) is null).Distinct().ToList();
        var outcome = Call(peer, s => peer.UseAsync ? s.MergeAsync(payload, hold).GetAwaiter().GetResult() : s.Merge(payload, hold), out var result, out var error);
        switch (outcome)
        {
            case Outcome.Ok:
                _stats.Add(FuzzCounter.PayloadsMerged);
                _stats.Add(FuzzCounter.EntriesInsertedByMerge, result!.Inserted);
                foreach (var dropped in result.Dropped)
                {
                    _stats.Add(
                        dropped.Reason.Contains("ahead", StringComparison.Ordinal) ? FuzzCounter.EntriesDroppedForDrift
                        : dropped.Reason.Contains("compaction", StringComparison.Ordinal) ? FuzzCounter.EntriesDroppedFromBeforeCompaction
                        : FuzzCounter.EntriesDroppedForSignature);
                }

                if (peer.IsUp) AcknowledgeMerged(peer, unknown);
                var forged = _mustNeverAppear.Where(h => store.GetEntry(h) is not null).ToList();
                if (forged.Count > 0) throw new FuzzFailure($"{peer.Id} accepted {Short(forged[0])} (forged or orphaned: it must never enter a log) from {what}");
                Trace($"{peer.Id} merges {what}: {payload.Entries.Count} sent, {result.Inserted} inserted, {result.Dropped.Count} dropped, {result.Pending} pending, {result.MissingParents.Count} missing");
                return result;
            case Outcome.Failed when error is SyncRejectedException:
                _stats.Add(damaged ? FuzzCounter.DamagedMessagesRefused : FuzzCounter.MergesRefused);
                Trace($"{peer.Id} refuses {what}: {error.Message}");
                if (!store.Heads.SequenceEqual(heads) || store.EntryCount != count) throw new FuzzFailure($"{peer.Id}: a refused merge of {what} changed the log");
                return null;
            case Outcome.Failed when error is StoreFaultedException:
                return null;
            case Outcome.Failed:
                throw new FuzzFailure($"{peer.Id} merge of {what} threw {error!.GetType().Name}: {error.Message}", error);
            default:
                return null;
        }
    }

    /// <summary>
    /// A direct, faultless exchange (still through bytes): <paramref name="to"/> offers,
    /// <paramref name="from"/> answers, <paramref name="to"/> merges and asks for missing parents
    /// until none are missing. Returns the number of entries inserted, or null when a fault intervened.
    /// </summary>
    private int? DirectExchange(SimPeer from, SimPeer to, PayloadMode mode)
    {
        var offer = SyncOffer.Decode(to.S.GenerateOffer().ToBytes());
        var payload = SyncPayload.Decode(from.S.ComputePayload(offer, mode).ToBytes(offer.EntryFormForReply));
        var hold = mode == PayloadMode.Delta;
        var result = MergeInto(to, payload, hold, $"direct {mode} payload from {from.Id}", damaged: false);
        if (result is null) return null;
        var inserted = result.Inserted;
        for (var round = 0; result.MissingParents.Count > 0 && round < 10; round++)
        {
            _stats.Add(FuzzCounter.NeedRounds);
            var reply = SyncPayload.Decode(from.S.EntriesFor(SyncPayload.Decode(new SyncPayload([], result.MissingParents).ToBytes()).Need).ToBytes());
            result = MergeInto(to, reply, hold: true, $"direct need reply from {from.Id}", damaged: false);
            if (result is null) return null;
            inserted += result.Inserted;
        }

        return inserted;
    }

    /// <summary>Every up peer exchanges with every other until a round changes nothing. Null when a fault intervened.</summary>
    private int? ExchangeUntilQuiet(int maxRounds, bool recordSync)
    {
        for (var round = 1; round <= maxRounds; round++)
        {
            var inserted = 0;
            foreach (var to in _peers)
            {
                foreach (var from in _peers)
                {
                    if (from == to) continue;
                    if (!from.IsUp || !to.IsUp) return null;
                    var mode = _rng.Next(2) == 0 ? PayloadMode.Delta : PayloadMode.Compatible;
                    if (DirectExchange(from, to, mode) is not { } count) return null;
                    inserted += count;
                    if (recordSync)
                    {
                        to.S.Peers.RecordSync(from.Id);
                        from.S.Peers.RecordSync(to.Id);
                    }
                }
            }

            if (inserted == 0 && AllHeadsEqual()) return round;
        }

        return -1;
    }

    private bool AllHeadsEqual() => _peers.All(p => p.IsUp && p.S.Heads.SequenceEqual(_peers[0].S.Heads));
}
