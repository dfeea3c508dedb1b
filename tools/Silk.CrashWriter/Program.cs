using Silk.Core.Persistence;
using Silk.Core.Schema;
using Silk.Core.Store;
using Silk.Core.Wire;
using Silk.Storage;

// The child process of the crash test: writes to the store in <folder> without end and prints the
// hash of every acknowledged write, one per line, flushed at once; the test kills it (SIGKILL) at a
// random moment and checks that every printed hash survived.
//   dotnet Silk.CrashWriter.dll <folder> [fsync|process] [writers]
if (args.Length < 1)
{
    await Console.Error.WriteLineAsync("usage: Silk.CrashWriter <folder> [fsync|process] [writers]");
    return 2;
}

var folder = args[0];
var mode = args.Length > 1 && args[1] == "process" ? DurabilityMode.Process : DurabilityMode.Fsync;
var writers = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 4;
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

using var store = GraphStore.Open(new LiteDbEntryStore(folder, mode), ontology);
var output = Console.Out;
var gate = new Lock();
var run = Guid.NewGuid().ToString("N")[..8];
await output.WriteLineAsync("ready");
await output.FlushAsync();

await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
{
    for (var i = 0; ; i++)
    {
        var id = $"{run}-{w}-{i}";
        var hash = (i % 4) switch
        {
            3 => await store.UpdatePropertyAsync($"{run}-{w}-{i - 2}", "age", (long)i),
            2 when i > 2 => await store.AddEdgeAsync($"e-{id}", "KNOWS", $"{run}-{w}-{i - 1}", $"{run}-{w}-{i - 2}"),
            _ => await store.AddNodeAsync(id, "person", id, ValueMap.Of(("name", id), ("age", (long)w))),
        };
        lock (gate)
        {
            output.WriteLine(hash.ToHex());
            output.Flush();
        }
    }
})));
return 0;
