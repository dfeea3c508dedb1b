using System.Globalization;
using System.Text.Json;
using Silk.Core.Wire;

namespace Silk.Tests.Schema;

/// <summary>
/// Finds the golden conformance vectors: <c>SILK_CONFORMANCE_DIR</c> if set, else
/// <c>&lt;repo root&gt;/../shared/conformance/vectors</c>, where the repo root is the first folder holding
/// Silk.Web.sln above the test binaries. A missing folder or file fails the test; it never skips.
/// </summary>
internal static class SchemaVectors
{
    public const string DirectoryVariable = "SILK_CONFORMANCE_DIR";

    public static string VectorsDirectory
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
            var directory = string.IsNullOrWhiteSpace(configured)
                ? Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "conformance", "vectors"))
                : Path.GetFullPath(configured);
            if (!Directory.Exists(directory))
            {
                throw new InvalidOperationException(
                    $"conformance vectors folder not found: {directory} (set {DirectoryVariable} to the vectors folder)");
            }

            return directory;
        }
    }

    public static JsonDocument Load(string fileName)
    {
        var path = Path.Combine(VectorsDirectory, fileName);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"conformance vector file not found: {path}");
        }

        return JsonDocument.Parse(File.ReadAllText(path));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Silk.Web.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException(
            $"no Silk.Web.sln above {AppContext.BaseDirectory}; set {DirectoryVariable} to the conformance vectors folder");
    }

    /// <summary>A typed vector value: <c>{"type":"int","value":5}</c>; floats are taken from their exact <c>bits</c>.</summary>
    public static Value TypedValue(JsonElement typed)
    {
        var type = typed.GetProperty("type").GetString();
        return type switch
        {
            "null" => Value.Null,
            "bool" => Value.FromBool(typed.GetProperty("value").GetBoolean()),
            "int" => Value.FromInt(typed.GetProperty("value").GetInt64()),
            "float" => Value.FromFloat(BitConverter.Int64BitsToDouble(unchecked((long)ulong.Parse(
                typed.GetProperty("bits").GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))),
            "string" => Value.FromString(typed.GetProperty("value").GetString()!),
            "list" => Value.FromList(typed.GetProperty("value").EnumerateArray().Select(TypedValue).ToArray()),
            "map" => Value.FromMap(TypedMap(typed.GetProperty("value"))),
            _ => throw new InvalidOperationException($"unknown typed value kind '{type}'"),
        };
    }

    public static ValueMap TypedMap(JsonElement map) =>
        ValueMap.From(map.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, TypedValue(p.Value))));

    public static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
