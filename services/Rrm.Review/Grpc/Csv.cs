using System.Text;

namespace Rrm.Review.Grpc;

/// <summary>A CSV record and the line it starts on (1 is the first line).</summary>
internal sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>RFC 4180 CSV: comma-separated, fields optionally in double quotes ("" inside is a quote), CRLF or LF.</summary>
internal static class Csv
{
    /// <exception cref="FormatException">An unterminated quoted field or text after a closing quote; the message names the line.</exception>
    public static List<CsvRecord> Parse(string text)
    {
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        while (i <= text.Length)
        {
            if (i == text.Length || text[i] is '\n' or '\r')
            {
                fields.Add(field.ToString());
                field.Clear();
                if (!(fields.Count == 1 && fields[0].Length == 0)) records.Add(new CsvRecord(recordLine, fields));
                fields = [];
                if (i < text.Length && text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                i++;
                line++;
                recordLine = line;
                continue;
            }
            if (text[i] == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                i++;
                continue;
            }
            if (text[i] == '"' && field.Length == 0)
            {
                var start = line;
                i++;
                while (true)
                {
                    if (i >= text.Length) throw new FormatException($"line {start}: a quoted field is not closed");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    if (text[i] == '\n') line++;
                    field.Append(text[i++]);
                }
                if (i < text.Length && text[i] is not (',' or '\n' or '\r'))
                    throw new FormatException($"line {line}: unexpected text after a closing quote");
                continue;
            }
            field.Append(text[i++]);
        }
        return records;
    }
}
