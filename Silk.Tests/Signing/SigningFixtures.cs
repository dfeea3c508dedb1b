using Silk.Core.Clock;
using Silk.Core.Entries;
using Silk.Core.Schema;
using Silk.Core.Wire;

namespace Silk.Tests.Signing;

/// <summary>Fixed keys and entries shared by the signing suites.</summary>
internal static class SigningFixtures
{
    // RFC 8032 §7.1 TEST 1 and TEST 2 secret keys (seeds) and their public keys.
    public const string Test1Seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    public const string Test1Public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    public const string Test2Seed = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
    public const string Test2Public = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";

    private static readonly Ontology TinyOntology = new(
        SortedMap.From([KeyValuePair.Create("item", new NodeTypeDef(null, SortedMap.Empty<PropertyDef>(), null, null))]),
        SortedMap.Empty<EdgeTypeDef>());

    public static Entry Genesis(string author = "peer-a") =>
        Entry.Create(new DefineOntology(TinyOntology), [], new ClockStamp(author, 1, 0), author);

    public static Entry Node(string author = "peer-a", string id = "n1") =>
        Entry.Create(new AddNode(id, "item", null, id, ValueMap.Empty), [Genesis(author).Hash], new ClockStamp(author, 2, 0), author);

    public static Entry Remove(string author = "peer-a", string id = "n1") =>
        Entry.Create(new RemoveNode(id), [Node(author, id).Hash], new ClockStamp(author, 3, 0), author);

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
