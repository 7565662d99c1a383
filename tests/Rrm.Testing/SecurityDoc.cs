namespace Rrm.Testing;

/// <summary>The role matrix of docs/security.md: the table headed "| RPC |", a column per role, "allow" or "deny" in each cell.</summary>
public static class SecurityDoc
{
    public sealed record Matrix(List<string> Roles, Dictionary<string, Dictionary<string, bool>> Rows);

    public static Matrix ReadMatrix()
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "security.md"));
        var header = Array.FindIndex(lines, l => l.StartsWith("| RPC |", StringComparison.Ordinal));
        if (header < 0) throw new FormatException("docs/security.md has no table headed \"| RPC |\"");
        var roles = Cells(lines[header]).Skip(1).ToList();
        var rows = new Dictionary<string, Dictionary<string, bool>>();
        foreach (var line in lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = Cells(line);
            if (cells.Count != roles.Count + 1) throw new FormatException($"docs/security.md: '{line}' needs one cell per role");
            var rpc = cells[0].Trim('`');
            if (!rows.TryAdd(rpc, roles.Zip(cells.Skip(1), (role, cell) => (role, cell)).ToDictionary(c => c.role, c => c.cell switch
                {
                    "allow" => true,
                    "deny" => false,
                    _ => throw new FormatException($"docs/security.md: '{c.cell}' in '{line}' is neither allow nor deny"),
                })))
                throw new FormatException($"docs/security.md: {rpc} has more than one row");
        }
        return new Matrix(roles, rows);
    }

    private static List<string> Cells(string line) => line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToList();
}
