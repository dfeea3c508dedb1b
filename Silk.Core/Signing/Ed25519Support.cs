using System.Numerics;
using NSec.Cryptography;
using Silk.Core.Wire;

namespace Silk.Core.Signing;

/// <summary>
/// The ed25519 pieces shared by <see cref="SigningKey"/>, <see cref="TrustedAuthors"/> and
/// <see cref="SignaturePolicy"/>: hex input with the original's error texts, the public-key curve check,
/// and a verification that never throws on garbage.
/// </summary>
internal static class Ed25519Support
{
    public const int SeedLength = 32;
    public const int PublicKeyLength = 32;

    public static SignatureAlgorithm Algorithm => SignatureAlgorithm.Ed25519;

    // Field prime p = 2^255 - 19 and the curve constant d = -121665 / 121666 (mod p).
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private static readonly BigInteger D = Mod(-121665 * BigInteger.ModPow(121666, P - 2, P));
    private static readonly BigInteger HalfPMinus1 = (P - 1) / 2;

    /// <summary>
    /// Decodes <paramref name="hex"/> (either case) and checks it is <paramref name="expectedLength"/> bytes.
    /// The hex is judged first, then the length, with the original's messages
    /// ("invalid hex: …", "&lt;what&gt; must be 32 bytes, got n").
    /// </summary>
    public static byte[] DecodeHex(string hex, string what, int expectedLength, string paramName)
    {
        ArgumentNullException.ThrowIfNull(hex, paramName);
        if (hex.Length % 2 != 0)
        {
            throw new ArgumentException("invalid hex: odd number of digits", paramName);
        }

        for (var i = 0; i < hex.Length; i++)
        {
            if (!char.IsAsciiHexDigit(hex[i]))
            {
                throw new ArgumentException($"invalid hex: invalid character {Describe(hex[i])} at position {i}", paramName);
            }
        }

        var bytes = Convert.FromHexString(hex);
        if (bytes.Length != expectedLength)
        {
            throw new ArgumentException($"{what} must be {expectedLength} bytes, got {bytes.Length}", paramName);
        }

        return bytes;
    }

    /// <summary>
    /// True when the 32 bytes decompress to a point on the curve, the test the original's
    /// <c>ed25519_dalek::VerifyingKey::from_bytes</c> applies: the y coordinate (255 bits, reduced mod p)
    /// must give a square x² = (y² − 1) / (d·y² + 1). Like the original, this does not refuse
    /// small-order points or non-canonical encodings; libsodium refuses those later, when verifying.
    /// </summary>
    public static bool IsCurvePoint(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length != PublicKeyLength)
        {
            return false;
        }

        Span<byte> yBytes = stackalloc byte[PublicKeyLength];
        encoded.CopyTo(yBytes);
        yBytes[^1] &= 0x7f;
        var y = new BigInteger(yBytes, isUnsigned: true, isBigEndian: false) % P;
        var yy = y * y % P;
        var u = Mod(yy - 1);
        if (u.IsZero)
        {
            return true;
        }

        var v = Mod(D * yy + 1);
        var ratio = u * BigInteger.ModPow(v, P - 2, P) % P;
        return BigInteger.ModPow(ratio, HalfPMinus1, P).IsOne;
    }

    /// <summary>Parses a 64-hex public key that is a curve point; ArgumentException otherwise.</summary>
    public static PublicKey ParsePublicKey(string hex, string paramName)
    {
        var bytes = DecodeHex(hex, "public key", PublicKeyLength, paramName);
        if (!IsCurvePoint(bytes) || !PublicKey.TryImport(Algorithm, bytes, KeyBlobFormat.RawPublicKey, out var key) || key is null)
        {
            throw new ArgumentException("invalid ed25519 public key: not a point on the curve", paramName);
        }

        return key;
    }

    /// <summary>
    /// Verifies a detached signature over the 32 hash bytes. A missing signature, or one whose length is
    /// not 64, is invalid; garbage of the right length simply fails.
    /// </summary>
    public static bool Verify(PublicKey key, Hash hash, byte[]? signature)
    {
        if (signature is null || signature.Length != Silk.Core.Entries.Entry.SignatureLength)
        {
            return false;
        }

        Span<byte> message = stackalloc byte[Hash.Size];
        hash.CopyTo(message);
        return Algorithm.Verify(key, message, signature);
    }

    private static BigInteger Mod(BigInteger x)
    {
        var r = x % P;
        return r.Sign < 0 ? r + P : r;
    }

    private static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}'";
}
