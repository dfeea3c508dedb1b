using Silk.Core.Log;
using Silk.Core.Wire;

namespace Silk.Core.Tail;

/// <summary>
/// An <see cref="ITailSource"/> over an <see cref="OpLog"/> guarded by the owner's lock: each read takes the lock
/// (a <see cref="Lock"/>, or the read side of a <see cref="ReaderWriterLockSlim"/>), reads the durable watermark
/// under it and reads the tail up to that watermark.
/// </summary>
public sealed class LogTailSource : ITailSource
{
    private readonly Func<IReadOnlyList<Hash>, int, TailRead> _read;

    /// <param name="log">The log; the owner mutates it only while holding <paramref name="gate"/>.</param>
    /// <param name="bell">Rung by the owner after each durable change.</param>
    /// <param name="visibleThroughSequence">The durable watermark: the highest sequence a consumer may see. Called under the lock.</param>
    /// <param name="gate">The owner's lock.</param>
    public LogTailSource(OpLog log, Bell bell, Func<long> visibleThroughSequence, Lock gate)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(bell);
        ArgumentNullException.ThrowIfNull(visibleThroughSequence);
        #pragma warning disable CA1510 // ThrowIfNull(object) would convert the Lock to object, which CS9216 forbids
        if (gate is null) throw new ArgumentNullException(nameof(gate));
#pragma warning restore CA1510
        Bell = bell;
        _read = (cursor, maxCount) =>
        {
            lock (gate)
            {
                return log.ReadAfter(cursor, maxCount, visibleThroughSequence());
            }
        };
    }

    /// <inheritdoc cref="LogTailSource(OpLog, Bell, Func{long}, Lock)"/>
    public LogTailSource(OpLog log, Bell bell, Func<long> visibleThroughSequence, ReaderWriterLockSlim gate)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(bell);
        ArgumentNullException.ThrowIfNull(visibleThroughSequence);
        ArgumentNullException.ThrowIfNull(gate);
        Bell = bell;
        _read = (cursor, maxCount) =>
        {
            gate.EnterReadLock();
            try
            {
                return log.ReadAfter(cursor, maxCount, visibleThroughSequence());
            }
            finally
            {
                gate.ExitReadLock();
            }
        };
    }

    public Bell Bell { get; }

    public TailRead Read(IReadOnlyList<Hash> cursor, int maxCount) => _read(cursor, maxCount);
}
