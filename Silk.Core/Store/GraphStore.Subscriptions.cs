namespace Silk.Core.Store;

/// <summary>Change subscribers: called once per applied entry, in log order, after the write.</summary>
public sealed partial class GraphStore
{
    private readonly Lock _subscribersLock = new();
    private readonly Lock _publishLock = new();
    private (int Id, Action<ChangeEvent> Callback)[] _subscribers = [];
    private int _nextSubscriberId;

    /// <summary>Registers a callback; ids start at 0 and increase. A throwing callback never breaks a write.</summary>
    public int Subscribe(Action<ChangeEvent> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (_subscribersLock)
        {
            var id = _nextSubscriberId++;
            _subscribers = [.. _subscribers, (id, callback)];
            return id;
        }
    }

    /// <summary>Removes a callback; an unknown id is ignored.</summary>
    public void Unsubscribe(int id)
    {
        lock (_subscribersLock)
        {
            _subscribers = _subscribers.Where(s => s.Id != id).ToArray();
        }
    }

    private static readonly IReadOnlyList<ChangeEvent> NoEvents = [];

    // Events are only built when someone listens: most writes have no callback subscriber.
    private bool HasSubscribers => Volatile.Read(ref _subscribers).Length > 0;

    /// <summary>Tells subscribers about applied entries, then wakes tails once.</summary>
    private void Publish(IReadOnlyList<ChangeEvent> events)
    {
        if (events.Count == 0)
        {
            RingBell();
            return;
        }

        // Publishing is serialized so subscribers see events in log order even with concurrent writers.
        lock (_publishLock)
        {
            var subscribers = _subscribers;
            foreach (var change in events)
            {
                foreach (var (_, callback) in subscribers)
                {
                    try
                    {
                        callback(change);
                    }
                    catch (Exception ex)
                    {
                        _options.OnSubscriberError?.Invoke(ex);
                    }
                }
            }
        }

        RingBell();
    }
}
