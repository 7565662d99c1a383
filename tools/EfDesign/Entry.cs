namespace Rrm.Tools.EfDesign;

/// <summary>Nothing runs here: `dotnet ef` only needs a startup assembly that can load EF Design.</summary>
internal static class Entry
{
    private static void Main() { }
}
