using System.Text;

namespace Hub.Adapters.Cad;

/// <summary>The encodings a CAD profile may name. Windows-1252 comes from the code-pages provider.</summary>
internal static class CadEncodings
{
    private static readonly Lazy<Encoding> Windows1252 = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    });

    /// <summary>The encoding for a profile name, or null when the name is not supported.</summary>
    public static Encoding? Resolve(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        "UTF-8" or "UTF8" or "UTF-8-BOM" => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        "WINDOWS-1252" or "CP1252" or "1252" => Windows1252.Value,
        "ISO-8859-1" or "LATIN1" or "LATIN-1" or "ISO8859-1" => Encoding.Latin1,
        _ => null,
    };
}
