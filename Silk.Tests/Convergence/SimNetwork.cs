using Silk.Core.Store;

namespace Silk.Tests.Convergence;

internal enum MessageKind
{
    /// <summary>Offer bytes: the receiver answers with a payload.</summary>
    Offer,

    /// <summary>Payload bytes answering an offer.</summary>
    Payload,

    /// <summary>A payload with no entries whose <c>need</c> names missing parents: the receiver answers with those entries.</summary>
    Need,

    /// <summary>Entries named by a need request.</summary>
    NeedReply,

    /// <summary>Hand-made entries (invalid, forged, future-dated) pushed at a peer.</summary>
    Inject,
}

internal enum Damage
{
    None,
    Truncated,
    Corrupted,
}

internal sealed record Message(long Id, int From, int To, MessageKind Kind, byte[] Bytes, PayloadMode Mode, int Round, int Epoch)
{
    public int DueStep { get; init; }

    public Damage Damage { get; init; }
}

/// <summary>
/// The simulated network: every message is bytes in a queue with a due step. Sending may drop,
/// duplicate, delay, truncate or corrupt it; delivery takes the due messages in random order;
/// a partition cuts messages between groups both at sending and at delivery.
/// </summary>
internal sealed class SimNetwork(Random random, FuzzStats stats)
{
    private readonly List<Message> _inFlight = [];
    private long _nextId;

    /// <summary>Group per peer while partitioned; null when the network is whole.</summary>
    public int[]? Groups { get; set; }

    /// <summary>Fault probabilities in percent; zero while the network is calm.</summary>
    public bool Faulty { get; set; } = true;

    public int InFlight => _inFlight.Count;

    public bool Connected(int a, int b) => Groups is null || Groups[a] == Groups[b];

    public void Send(int step, int from, int to, MessageKind kind, byte[] bytes, PayloadMode mode, int round, int epoch)
    {
        stats.Add(FuzzCounter.MessagesSent);
        var message = new Message(_nextId++, from, to, kind, bytes, mode, round, epoch) { DueStep = step + 1 };
        if (!Connected(from, to))
        {
            stats.Add(FuzzCounter.MessagesCutByPartition);
            return;
        }

        if (!Faulty)
        {
            _inFlight.Add(message);
            return;
        }

        if (random.Next(100) < 8)
        {
            stats.Add(FuzzCounter.MessagesDropped);
            return;
        }

        _inFlight.Add(Mangle(message, step));
        if (random.Next(100) < 6)
        {
            stats.Add(FuzzCounter.MessagesDuplicated);
            _inFlight.Add(Mangle(message with { Id = _nextId++ }, step));
        }
    }

    private Message Mangle(Message message, int step)
    {
        if (random.Next(100) < 30)
        {
            stats.Add(FuzzCounter.MessagesDelayed);
            message = message with { DueStep = step + 1 + random.Next(1, 12) };
        }

        var roll = random.Next(100);
        if (roll < 4 && message.Bytes.Length > 0)
        {
            stats.Add(FuzzCounter.MessagesTruncated);
            return message with { Bytes = message.Bytes[..random.Next(message.Bytes.Length)], Damage = Damage.Truncated };
        }

        if (roll < 7 && message.Bytes.Length > 0)
        {
            stats.Add(FuzzCounter.MessagesCorrupted);
            var bytes = (byte[])message.Bytes.Clone();
            bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
            return message with { Bytes = bytes, Damage = Damage.Corrupted };
        }

        return message;
    }

    /// <summary>The messages due by <paramref name="step"/>, taken off the queue in random order.</summary>
    public List<Message> TakeDue(int step)
    {
        var due = _inFlight.Where(m => m.DueStep <= step).ToList();
        if (due.Count == 0) return due;
        _inFlight.RemoveAll(m => m.DueStep <= step);
        var shuffled = due.OrderBy(_ => random.Next()).ToList();
        for (var i = 1; i < shuffled.Count; i++)
        {
            if (shuffled[i].Id < shuffled[i - 1].Id) stats.Add(FuzzCounter.MessagesReordered);
        }

        return shuffled;
    }

    /// <summary>Everything still in flight, due or not (the calm end of a run delivers it all).</summary>
    public List<Message> TakeAll()
    {
        var all = _inFlight.OrderBy(m => m.DueStep).ThenBy(m => m.Id).ToList();
        _inFlight.Clear();
        return all;
    }
}
