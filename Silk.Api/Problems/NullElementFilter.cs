using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace Silk.Api.Problems;

/// <summary>
/// The JSON reader refuses null for a non-nullable property, but not for the items of a list or the values
/// of a map (<c>{"type_sequence":[null]}</c>, <c>{"node_types":{"x":null}}</c>). This filter finds such nulls in
/// request bodies, by the nullability the request types declare, and answers 400 naming the place.
/// </summary>
internal sealed class NullElementFilter : IEndpointFilter
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Checked = new();
    private static readonly ConcurrentDictionary<PropertyInfo, NullabilityInfo> Infos = new();

    // NullabilityInfoContext is not thread-safe: one per lookup, and each property is looked up once.
    private static NullabilityInfo InfoOf(PropertyInfo property) => Infos.GetOrAdd(property, static p => new NullabilityInfoContext().Create(p));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        foreach (var argument in context.Arguments)
        {
            if (argument is not null && IsRequestType(argument.GetType()) && Find(argument, "$") is { } path)
            {
                return ApiProblems.BadRequest($"{path} is null; null is not allowed there");
            }
        }

        return await next(context);
    }

    /// <summary>Whether a body of this type can hold a list or map of non-nullable items (else the filter is left out).</summary>
    public static bool Needed(Type type) => IsRequestType(type) && Properties(type).Length > 0;

    private static bool IsRequestType(Type type) => type.Namespace?.StartsWith("Silk.Api", StringComparison.Ordinal) == true && type.IsClass;

    /// <summary>The JSON path of the first forbidden null, or null.</summary>
    private static string? Find(object value, string path)
    {
        foreach (var property in Properties(value.GetType()))
        {
            var child = property.GetValue(value);
            if (child is null) continue;
            var info = InfoOf(property);
            var name = $"{path}.{System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name)}";
            if (Items(child, info, name) is { } found) return found;
        }

        return null;
    }

    private static string? Items(object value, NullabilityInfo info, string path)
    {
        if (value is IDictionary dictionary && info.GenericTypeArguments is [_, var valueInfo])
        {
            foreach (DictionaryEntry item in dictionary)
            {
                var at = $"{path}['{item.Key}']";
                if (item.Value is null)
                {
                    if (valueInfo.ReadState == NullabilityState.NotNull) return at;
                }
                else if (Visit(item.Value, valueInfo, at) is { } found)
                {
                    return found;
                }
            }
        }
        else if (value is IList list && (info.ElementType ?? (info.GenericTypeArguments is [var only] ? only : null)) is { } itemInfo)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var at = $"{path}[{i}]";
                if (list[i] is null)
                {
                    if (itemInfo.ReadState == NullabilityState.NotNull) return at;
                }
                else if (Visit(list[i]!, itemInfo, at) is { } found)
                {
                    return found;
                }
            }
        }
        else if (IsRequestType(value.GetType()))
        {
            return Find(value, path);
        }

        return null;
    }

    private static string? Visit(object value, NullabilityInfo info, string path) =>
        value is IDictionary or IList ? Items(value, info, path) : IsRequestType(value.GetType()) ? Find(value, path) : null;

    private static PropertyInfo[] Properties(Type type) => Checked.GetOrAdd(type, static t =>
        [.. t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.PropertyType != typeof(string) && !p.PropertyType.IsValueType
                && (typeof(IEnumerable).IsAssignableFrom(p.PropertyType) || IsRequestType(p.PropertyType))
                && p.PropertyType.Namespace?.StartsWith("Silk.Core", StringComparison.Ordinal) != true)]);
}
