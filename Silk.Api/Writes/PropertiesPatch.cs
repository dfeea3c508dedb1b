using Silk.Core.Wire;

namespace Silk.Api.Writes;

/// <summary>Body of <c>PATCH /nodes/{id}</c> and <c>PATCH /edges/{id}</c>.</summary>
/// <param name="Properties">The properties to set: one update_property entry per key, all checked before any is written.</param>
public sealed record PropertiesPatch(ValueMap Properties);
