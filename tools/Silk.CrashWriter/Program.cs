using System.Globalization;
using Silk.Core.Persistence;
using Silk.Core.Schema;
using Silk.Core.Store;
using Silk.Core.Wire;
using Silk.Storage;

// The child process of the crash test: writes to the store in <folder> without end and prints the
// hash of every acknowledged write, one per line, flushed at once; the test kills it (SIGKILL) at a
// random moment and checks that every printed hash survived.
//   dotnet Silk.CrashWriter.dll <folder> [fsync|process] [writers] [journal-fold-bytes] [compact-every]
// With compact-every > 0, writer 0 compacts the store (safe: false) after every that many of its own
// writes, with the other writers paused, printing "compacting" before and "compacted <hash>" after.
if (args.Length < 1)
{
    await Console.Error.WriteLineAsync("usage: Silk.CrashWriter <folder> [fsync|process] [writers] [journal-fold-bytes] [compact-every]");
    return 2;
}

var folder = args[0];
var mode = args.Length > 1 && args[1] == "process" ? DurabilityMode.Process : DurabilityMode.Fsync;
var writers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
var foldBytes = args.Length > 3 ? long.Parse(args[3], CultureInfo.InvariantCulture) : 8 << 20;
var compactEvery = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 0;
var ontology = OntologyJson.Parse("""
    {
      "node_types": {
        "entity": {"properties": {"name": {"value_type": "string", "required": true}}},
        "person": {"parent_type": "entity", "properties": {"age": {"value_type": "int", "constraints": {"min": 0}}}},
        "server": {"parent_type": "entity", "properties": {"port": {"value_type": "int"}}}
      },
      "edge_types": {
        "KNOWS": {"source_types": ["person"], "target_types": ["person"], "properties": {"since": {"value_type": "int"}}},
        "RUNS_ON": {"source_types": ["entity"], "target_types": ["server"]}
      }
    }
    """);

using var store = GraphStore.Open(new LiteDbEntryStore(folder, mode, foldBytes), ontology);
var output = Console.Out;
var print = new Lock();
var pause = new ReaderWriterLockSlim();
var run = Guid.NewGuid().ToString("N")[..8];
Say("ready");

var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
{
    for (var i = 0; ; i++)
    {
        pause.EnterReadLock();
        try
        {
            var id = $"{run}-{w}-{i}";
            var hash = (i % 4) switch
            {
                3 => store.UpdateProperty($"{run}-{w}-{i - 2}", "age", (long)i),
                2 when i > 2 => store.AddEdge($"e-{id}", "KNOWS", $"{run}-{w}-{i - 1}", $"{run}-{w}-{i - 2}"),
                _ => store.AddNode(id, "person", id, ValueMap.Of(("name", id), ("age", (long)w))),
            };
            Say(hash.ToHex());
        }
        finally
        {
            pause.ExitReadLock();
        }

        if (w == 0 && compactEvery > 0 && i % compactEvery == compactEvery - 1)
        {
            pause.EnterWriteLock(); // every other writer has printed what it wrote
            try
            {
                Say("compacting");
                Say("compacted " + store.Compact(safe: false).ToHex());
            }
            finally
            {
                pause.ExitWriteLock();
            }
        }
    }
})).ToList();
threads.ForEach(t => t.Start());
threads.ForEach(t => t.Join());
return 0;

void Say(string line)
{
    lock (print)
    {
        output.WriteLine(line);
        output.Flush();
    }
}
