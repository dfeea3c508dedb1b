using Silk.Core.Wire;

namespace Silk.Core.Log;

public enum OpLogError
{
    /// <summary>The entry's hash does not match its content.</summary>
    InvalidHash,

    /// <summary>A parent (or a cursor hash) is not in the log.</summary>
    MissingParent,

    /// <summary>A foreign checkpoint would replace a log that holds more than its genesis.</summary>
    CheckpointRefused,

    /// <summary>A second root offered to a log that starts at a checkpoint (history from before a compaction).</summary>
    RootRefused,
}

/// <summary>An append or lookup the oplog refuses; the message is the original's text where it has one.</summary>
public sealed class OpLogException : Exception
{
    public OpLogException(OpLogError error, string message, Hash? subject = null) : base(message)
    {
        Error = error;
        Subject = subject;
    }

    public OpLogError Error { get; }

    /// <summary>The hash the error is about (the missing parent, the refused entry).</summary>
    public Hash? Subject { get; }

    internal static OpLogException InvalidHash(Hash hash) =>
        new(OpLogError.InvalidHash, "entry hash verification failed", hash);

    internal static OpLogException MissingParent(Hash parent) =>
        new(OpLogError.MissingParent, $"missing parent entry: {parent.ToHex()}", parent);
}
