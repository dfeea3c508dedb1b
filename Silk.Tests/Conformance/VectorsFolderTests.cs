namespace Silk.Tests.Conformance;

/// <summary>The vectors must be there: a missing folder or file fails the run (it is never skipped).</summary>
public sealed class VectorsFolderTests
{
    [Theory]
    [InlineData("values.json")]
    [InlineData("clock.json")]
    [InlineData("entries.json")]
    [InlineData("bloom.json")]
    [InlineData("sync.json")]
    [InlineData("v024_compat.json")]
    [InlineData("ontology_validation.json")]
    public void Vector_file_is_present_and_parses(string file)
    {
        Assert.True(File.Exists(Path.Combine(Vectors.Directory, file)), $"missing {file} in {Vectors.Directory}");
        Assert.Equal(System.Text.Json.JsonValueKind.Object, Vectors.Load(file).ValueKind);
    }
}
