using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration.Json;
using Silk.Core.Schema;

namespace Silk.Api.Hosting;

/// <summary>
/// The ontology a new store starts with: the file named by <c>Silk:OntologyPath</c>, else the
/// <c>Silk:Ontology</c> setting. Configuration keeps only strings (a JSON <c>true</c> becomes "True",
/// <c>1</c> and <c>"1"</c> look alike), so the object is not rebuilt from configuration keys: it is read
/// as raw JSON from the JSON file that supplies it (appsettings.json, appsettings.{Environment}.json), or
/// parsed from a string value (e.g. the environment variable <c>Silk__Ontology='{"node_types":…}'</c>).
/// Only when another kind of source supplies it as keys is it rebuilt from them, reading "true"/"false"
/// as booleans and numeric text as numbers.
/// </summary>
public static class OntologySettings
{
    public const string SectionPath = SilkOptions.SectionName + ":Ontology";

    public static Silk.Core.Schema.Ontology Load(IConfiguration configuration, SilkOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var (json, source) = Find(configuration, options);
        try
        {
            return OntologyJson.Parse(json);
        }
        catch (OntologyFormatException ex)
        {
            throw new SilkSettingsException($"{source}: {ex.Message}", ex);
        }
    }

    private static (string Json, string Source) Find(IConfiguration configuration, SilkOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.OntologyPath))
        {
            var path = Path.GetFullPath(options.OntologyPath);
            try
            {
                return (File.ReadAllText(path), $"Silk:OntologyPath ({path})");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new SilkSettingsException($"Setting Silk:OntologyPath names {path}, which cannot be read: {ex.Message}", ex);
            }
        }

        var section = configuration.GetSection(SectionPath);
        if (!string.IsNullOrWhiteSpace(section.Value)) return (section.Value, SectionPath);
        if (!section.GetChildren().Any())
        {
            throw new SilkSettingsException($"No ontology: set {SectionPath} (a JSON object) or Silk:OntologyPath (a JSON file).");
        }

        return (FromJsonFile(configuration) ?? Rebuild(section)?.ToJsonString() ?? "null", SectionPath);
    }

    /// <summary>The raw object from the highest-priority source, if that source is a JSON file.</summary>
    private static string? FromJsonFile(IConfiguration configuration)
    {
        if (configuration is not IConfigurationRoot root) return null;
        foreach (var provider in root.Providers.Reverse())
        {
            if (!provider.GetChildKeys([], SectionPath).Any()) continue;
            if (provider is not JsonConfigurationProvider json) return null;
            var file = json.Source.FileProvider?.GetFileInfo(json.Source.Path ?? "");
            if (file?.PhysicalPath is not { } path) return null;
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
            var node = document.RootElement;
            foreach (var name in SectionPath.Split(':'))
            {
                if (node.ValueKind != JsonValueKind.Object) return null;
                var found = node.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
                if (found.Value.ValueKind == JsonValueKind.Undefined) return null;
                node = found.Value;
            }

            return node.GetRawText();
        }

        return null;
    }

    private static JsonNode? Rebuild(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0) return Scalar(section.Value);
        var indexes = children.Select(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1).ToList();
        if (indexes.All(i => i >= 0) && indexes.Order().SequenceEqual(Enumerable.Range(0, children.Count)))
        {
            var array = new JsonArray();
            foreach (var child in children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture))) array.Add(Rebuild(child));
            return array;
        }

        var obj = new JsonObject();
        foreach (var child in children) obj[child.Key] = Rebuild(child);
        return obj;
    }

    private static JsonNode? Scalar(string? value)
    {
        if (value is null) return null;
        if (bool.TryParse(value, out var b)) return JsonValue.Create(b);
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return JsonValue.Create(d);
        return JsonValue.Create(value);
    }
}
