namespace Silk.Core.Query;

/// <summary>Which edges of a node to follow: leaving it, arriving at it, or both.</summary>
public enum EdgeDirection
{
    Out,
    In,
    Both,
}
