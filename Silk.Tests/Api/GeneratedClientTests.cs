using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;

namespace Silk.Tests.Api;

/// <summary>
/// A C# client generated (NSwag) from the committed openapi.yaml — which the drift test keeps equal to
/// the served document — compiles (Roslyn, in memory) and talks to the running server: it creates a
/// node and an edge, reads them back, and sees a 404 and a 409 as typed exceptions.
/// </summary>
public sealed class GeneratedClientTests(SilkApiFactory factory) : IClassFixture<SilkApiFactory>
{
    private const string Namespace = "Silk.Generated";
    private const string ClientName = "SilkClient";

    [Fact]
    public async Task Client_generated_from_openapi_yaml_compiles_and_calls_the_server()
    {
        var yaml = await File.ReadAllTextAsync(Path.Combine(RepoRoot.Path, "openapi.yaml"));
        var document = await OpenApiYamlDocument.FromYamlAsync(yaml);
        var code = new CSharpClientGenerator(document, new CSharpClientGeneratorSettings
        {
            ClassName = ClientName,
            GenerateClientInterfaces = false,
            UseBaseUrl = false,
            CSharpGeneratorSettings =
            {
                Namespace = Namespace,
                JsonLibrary = NJsonSchema.CodeGeneration.CSharp.CSharpJsonLibrary.SystemTextJson,
            },
        }).GenerateFile();

        var assembly = Compile(code);
        using var http = factory.CreateClient();
        var client = Activator.CreateInstance(assembly.GetType($"{Namespace}.{ClientName}", throwOnError: true)!, http)!;

        var created = await Call(client, "CreateNodeAsync", New(assembly, "CreateNodeRequest", new()
        {
            ["Node_id"] = "gen-ada",
            ["Node_type"] = "person",
            ["Label"] = "Ada",
            ["Properties"] = Map(assembly, ("name", "Ada"), ("email", "ada@example.org")),
        }));
        Assert.Matches("^[0-9a-f]{64}$", (string)Get(created, "Hash")!);

        await Call(client, "CreateNodeAsync", New(assembly, "CreateNodeRequest", new()
        {
            ["Node_id"] = "gen-doc",
            ["Node_type"] = "document",
            ["Label"] = "Notes",
            ["Properties"] = Map(assembly, ("name", "Notes")),
        }));
        var edge = await Call(client, "CreateEdgeAsync", New(assembly, "CreateEdgeRequest", new()
        {
            ["Edge_id"] = "gen-wrote",
            ["Edge_type"] = "AUTHORED",
            ["Source_id"] = "gen-ada",
            ["Target_id"] = "gen-doc",
        }));
        Assert.Equal("gen-doc", Get(Get(edge, "Edge"), "Target_id"));

        var node = await Call(client, "GetNodeAsync", "gen-ada", null);
        Assert.Equal("Ada", Get(node, "Label"));
        Assert.Equal("person", Get(node, "Node_type"));
        Assert.Equal("ada@example.org", ((System.Collections.IDictionary)Get(node, "Properties")!)["email"]?.ToString());

        var neighbours = await Call(client, "GetNodeNeighborsAsync", "gen-ada", null);
        Assert.Equal(["gen-doc"], ((IEnumerable<string>)Get(neighbours, "Node_ids")!).ToList());

        var notFound = await Assert.ThrowsAnyAsync<Exception>(() => Call(client, "GetNodeAsync", "gen-nobody", null));
        Assert.Equal(404, Get(notFound, "StatusCode"));

        var conflict = await Assert.ThrowsAnyAsync<Exception>(() => Call(client, "CreateEdgeAsync", New(assembly, "CreateEdgeRequest", new()
        {
            ["Edge_id"] = "gen-x",
            ["Edge_type"] = "RELATES_TO",
            ["Source_id"] = "gen-ada",
            ["Target_id"] = "gen-nobody",
        })));
        Assert.Equal(409, Get(conflict, "StatusCode"));
    }

    private static Assembly Compile(string code)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "Silk.Generated.Client",
            [CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var output = new MemoryStream();
        var result = compilation.Emit(output);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.True(result.Success, "the generated client does not compile:\n" + string.Join("\n", errors.Take(20)));
        output.Position = 0;
        return new AssemblyLoadContext("generated-client", isCollectible: true).LoadFromStream(output);
    }

    private static object New(Assembly assembly, string type, Dictionary<string, object?> values)
    {
        var instance = Activator.CreateInstance(assembly.GetType($"{Namespace}.{type}", throwOnError: true)!)!;
        foreach (var (name, value) in values) instance.GetType().GetProperty(name)!.SetValue(instance, value);
        return instance;
    }

    /// <summary>A ValueMap as the generated client models it (a dictionary of objects).</summary>
    private static object Map(Assembly assembly, params (string Key, object Value)[] entries)
    {
        var map = (System.Collections.IDictionary)Activator.CreateInstance(assembly.GetType($"{Namespace}.ValueMap", throwOnError: true)!)!;
        foreach (var (key, value) in entries) map[key] = value;
        return map;
    }

    private static object? Get(object? instance, string property) =>
        instance!.GetType().GetProperty(property)?.GetValue(instance)
        ?? throw new InvalidOperationException($"{instance.GetType().Name} has no value for {property}");

    /// <summary>Calls the generated async method with these arguments (the overload without a cancellation token).</summary>
    private static async Task<object?> Call(object client, string method, params object?[] arguments)
    {
        var candidates = client.GetType().GetMethods().Where(m => m.Name == method && m.GetParameters().Length == arguments.Length).ToList();
        Assert.True(candidates.Count == 1, $"{method}({arguments.Length} arguments) is not a method of the generated client: "
            + string.Join(", ", client.GetType().GetMethods().Where(m => m.Name.EndsWith("Async", StringComparison.Ordinal)).Select(m => $"{m.Name}({m.GetParameters().Length})")));
        var task = (Task)candidates[0].Invoke(client, arguments)!;
        await task;
        return task.GetType().GetProperty("Result")?.GetValue(task);
    }
}
