namespace Rrm.Testing;

/// <summary>The sample data in ../shared/fixtures beside the checkout.</summary>
public static class Fixtures
{
    public static string Path(string name)
    {
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(Repository.Root, "..", "shared", "fixtures", name));
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} (../shared/fixtures beside the checkout) was not found.");
    }

    public static string Read(string name) => File.ReadAllText(Path(name));
}
