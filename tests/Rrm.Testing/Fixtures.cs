namespace Rrm.Testing;

/// <summary>The sample data in ../shared/fixtures beside the checkout.</summary>
public static class Fixtures
{
    public static string Read(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "shared", "fixtures", name);
            if (File.Exists(path)) return File.ReadAllText(path);
        }
        throw new FileNotFoundException($"../shared/fixtures/{name} was not found above {AppContext.BaseDirectory}.");
    }
}
