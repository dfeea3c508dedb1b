namespace Silk.Core.Indexing;

/// <summary>
/// A B+tree of <see cref="IndexEntry"/> in their order: O(log n) insert and remove, O(log n) seek, then a walk
/// along linked leaves in either direction. Leaves that empty are unlinked and dropped with their branches
/// (underfull nodes are not merged: the height stays that of the largest size the tree had). Not thread-safe:
/// the store changes it under its write lock and reads it under its read lock.
/// </summary>
public sealed class IndexTree
{
    private const int Capacity = 128;

    private Node _root = new Leaf();

    public int Count { get; private set; }

    /// <summary>A tree of entries already sorted and distinct, built bottom-up in O(n).</summary>
    public static IndexTree FromSorted(IReadOnlyList<IndexEntry> sorted)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var tree = new IndexTree();
        if (sorted.Count == 0) return tree;
        // Leaves three quarters full, so that the first inserts do not split every leaf.
        const int fill = Capacity * 3 / 4;
        var level = new List<Node>();
        Leaf? previous = null;
        for (var i = 0; i < sorted.Count; i += fill)
        {
            var leaf = new Leaf();
            var n = Math.Min(fill, sorted.Count - i);
            for (var j = 0; j < n; j++) leaf.Keys[j] = sorted[i + j];
            leaf.Count = n;
            leaf.Prev = previous;
            if (previous is not null) previous.Next = leaf;
            previous = leaf;
            level.Add(leaf);
        }

        while (level.Count > 1)
        {
            var up = new List<Node>();
            for (var i = 0; i < level.Count; i += fill)
            {
                var branch = new Branch();
                var n = Math.Min(fill, level.Count - i);
                for (var j = 0; j < n; j++)
                {
                    branch.Children[j] = level[i + j];
                    branch.Separators[j] = level[i + j].First;
                }

                branch.Count = n;
                up.Add(branch);
            }

            level = up;
        }

        tree._root = level[0];
        tree.Count = sorted.Count;
        return tree;
    }

    /// <summary>Adds the entry; false when it was there.</summary>
    public bool Insert(IndexEntry entry)
    {
        var (added, split) = Insert(_root, entry);
        if (!added) return false;
        Count++;
        if (split is { } right)
        {
            var root = new Branch();
            root.Children[0] = _root;
            root.Separators[0] = _root.First;
            root.Children[1] = right.Node;
            root.Separators[1] = right.Separator;
            root.Count = 2;
            _root = root;
        }

        return true;
    }

    /// <summary>Removes the entry; false when it was not there.</summary>
    public bool Remove(IndexEntry entry)
    {
        var (removed, _) = Remove(_root, entry);
        if (!removed) return false;
        Count--;
        while (_root is Branch { Count: 1 } only) _root = only.Children[0];
        if (_root is Branch { Count: 0 }) _root = new Leaf();
        return true;
    }

    /// <summary>
    /// A position at the first entry for which <paramref name="isBefore"/> is false (a predicate that is true for a
    /// prefix of the order and false after it); at the end when there is none.
    /// </summary>
    public Position Seek(Func<IndexEntry, bool> isBefore)
    {
        ArgumentNullException.ThrowIfNull(isBefore);
        var node = _root;
        while (node is Branch branch)
        {
            var child = 0;
            int lo = 1, hi = branch.Count - 1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                if (isBefore(branch.Separators[mid])) { child = mid; lo = mid + 1; }
                else hi = mid - 1;
            }

            node = branch.Children[child];
        }

        var leaf = (Leaf)node;
        int at = 0, top = leaf.Count;
        while (at < top)
        {
            var mid = (at + top) >>> 1;
            if (isBefore(leaf.Keys[mid])) at = mid + 1;
            else top = mid;
        }

        return Normalize(leaf, at);
    }

    /// <summary>The first entry.</summary>
    public Position First() => Normalize(LeftmostLeaf(), 0);

    /// <summary>The last entry (at the end when empty).</summary>
    public Position Last()
    {
        var node = _root;
        while (node is Branch branch) node = branch.Children[branch.Count - 1];
        var leaf = (Leaf)node;
        return leaf.Count == 0 ? default : new Position(leaf, leaf.Count - 1);
    }

    /// <summary>Every entry in order.</summary>
    public IEnumerable<IndexEntry> All()
    {
        for (var p = First(); p.HasValue; p = p.Next()) yield return p.Entry;
    }

    private Leaf LeftmostLeaf()
    {
        var node = _root;
        while (node is Branch branch) node = branch.Children[0];
        return (Leaf)node;
    }

    private static Position Normalize(Leaf leaf, int at)
    {
        if (at < leaf.Count) return new Position(leaf, at);
        var next = leaf.Next;
        return next is null ? default : new Position(next, 0);
    }

    private static (bool Added, (IndexEntry Separator, Node Node)? Split) Insert(Node node, IndexEntry entry)
    {
        if (node is Leaf leaf)
        {
            var at = leaf.Find(entry);
            if (at >= 0) return (false, null);
            at = ~at;
            if (leaf.Count < Capacity)
            {
                leaf.InsertAt(at, entry);
                return (true, null);
            }

            var right = leaf.SplitHalf();
            if (at <= leaf.Count) leaf.InsertAt(at, entry);
            else right.InsertAt(at - leaf.Count, entry);
            return (true, (right.Keys[0], right));
        }

        var branch = (Branch)node;
        var child = branch.ChildFor(entry);
        var (added, split) = Insert(branch.Children[child], entry);
        if (child == 0 && added && entry.CompareTo(branch.Separators[0]) < 0) branch.Separators[0] = entry;
        if (split is not { } s) return (added, null);
        if (branch.Count < Capacity)
        {
            branch.InsertAt(child + 1, s.Separator, s.Node);
            return (true, null);
        }

        var rightBranch = branch.SplitHalf();
        if (child + 1 <= branch.Count) branch.InsertAt(child + 1, s.Separator, s.Node);
        else rightBranch.InsertAt(child + 1 - branch.Count, s.Separator, s.Node);
        return (true, (rightBranch.Separators[0], rightBranch));
    }

    /// <summary>Removes from the subtree; Emptied says the subtree has nothing left and its parent should drop it.</summary>
    private static (bool Removed, bool Emptied) Remove(Node node, IndexEntry entry)
    {
        if (node is Leaf leaf)
        {
            var at = leaf.Find(entry);
            if (at < 0) return (false, false);
            leaf.RemoveAt(at);
            if (leaf.Count > 0) return (true, false);
            if (leaf.Prev is { } prev) prev.Next = leaf.Next;
            if (leaf.Next is { } next) next.Prev = leaf.Prev;
            leaf.Prev = leaf.Next = null;
            return (true, true);
        }

        var branch = (Branch)node;
        var child = branch.ChildFor(entry);
        var (removed, emptied) = Remove(branch.Children[child], entry);
        if (!emptied) return (removed, false);
        branch.RemoveAt(child);
        return (true, branch.Count == 0);
    }

    /// <summary>A place in the tree: a leaf and an index in it; the default value is past either end.</summary>
    public readonly struct Position
    {
        private readonly Leaf? _leaf;
        private readonly int _at;

        internal Position(Leaf leaf, int at)
        {
            _leaf = leaf;
            _at = at;
        }

        public bool HasValue => _leaf is not null;

        public IndexEntry Entry => _leaf!.Keys[_at];

        public Position Next()
        {
            if (_leaf is null) return default;
            if (_at + 1 < _leaf.Count) return new Position(_leaf, _at + 1);
            return _leaf.Next is { } next ? new Position(next, 0) : default;
        }

        public Position Previous()
        {
            if (_leaf is null) return default;
            if (_at > 0) return new Position(_leaf, _at - 1);
            return _leaf.Prev is { } prev ? new Position(prev, prev.Count - 1) : default;
        }
    }

    internal abstract class Node
    {
        public int Count;

        public abstract IndexEntry First { get; }
    }

    internal sealed class Leaf : Node
    {
        public readonly IndexEntry[] Keys = new IndexEntry[Capacity];
        public Leaf? Next;
        public Leaf? Prev;

        public override IndexEntry First => Keys[0];

        public int Find(IndexEntry entry) => Array.BinarySearch(Keys, 0, Count, entry);

        public void InsertAt(int at, IndexEntry entry)
        {
            Array.Copy(Keys, at, Keys, at + 1, Count - at);
            Keys[at] = entry;
            Count++;
        }

        public void RemoveAt(int at)
        {
            Array.Copy(Keys, at + 1, Keys, at, Count - at - 1);
            Count--;
            Keys[Count] = default;
        }

        /// <summary>Moves the upper half to a new leaf linked after this one.</summary>
        public Leaf SplitHalf()
        {
            var right = new Leaf();
            var keep = Count / 2;
            Array.Copy(Keys, keep, right.Keys, 0, Count - keep);
            Array.Clear(Keys, keep, Count - keep);
            right.Count = Count - keep;
            Count = keep;
            right.Next = Next;
            right.Prev = this;
            if (Next is { } next) next.Prev = right;
            Next = right;
            return right;
        }
    }

    internal sealed class Branch : Node
    {
        // Separators[i] is at most the smallest entry under Children[i] and above every entry under Children[i - 1].
        public readonly IndexEntry[] Separators = new IndexEntry[Capacity];
        public readonly Node[] Children = new Node[Capacity];

        public override IndexEntry First => Separators[0];

        /// <summary>The last child whose separator is at most the entry (the first child for entries below all).</summary>
        public int ChildFor(IndexEntry entry)
        {
            int lo = 1, hi = Count - 1, child = 0;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                if (Separators[mid].CompareTo(entry) <= 0) { child = mid; lo = mid + 1; }
                else hi = mid - 1;
            }

            return child;
        }

        public void InsertAt(int at, IndexEntry separator, Node child)
        {
            Array.Copy(Separators, at, Separators, at + 1, Count - at);
            Array.Copy(Children, at, Children, at + 1, Count - at);
            Separators[at] = separator;
            Children[at] = child;
            Count++;
        }

        public void RemoveAt(int at)
        {
            Array.Copy(Separators, at + 1, Separators, at, Count - at - 1);
            Array.Copy(Children, at + 1, Children, at, Count - at - 1);
            Count--;
            Separators[Count] = default;
            Children[Count] = null!;
        }

        public Branch SplitHalf()
        {
            var right = new Branch();
            var keep = Count / 2;
            Array.Copy(Separators, keep, right.Separators, 0, Count - keep);
            Array.Copy(Children, keep, right.Children, 0, Count - keep);
            Array.Clear(Separators, keep, Count - keep);
            Array.Clear(Children, keep, Count - keep);
            right.Count = Count - keep;
            Count = keep;
            return right;
        }
    }
}
