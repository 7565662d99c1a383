using System.Text.RegularExpressions;

namespace Rrm.ServiceDefaults.Text;

/// <summary>Enum names as events and people read them.</summary>
public static partial class EnumText
{
    /// <summary>"MexicoAnswer" → "mexico_answer": the wire form of enum values in integration events.</summary>
    public static string Snake(this Enum value) => Boundary().Replace(value.ToString(), "_$1").ToLowerInvariant();

    /// <summary>"AutoParts" → "auto parts".</summary>
    public static string Words(this Enum value) => Boundary().Replace(value.ToString(), " $1").ToLowerInvariant();

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex Boundary();
}
