using System.Text;
using Rrm.Grpc.Common.V1;
using Rrm.ServiceDefaults.Errors;

namespace Rrm.ServiceDefaults.Grpc;

/// <summary>
/// Keyset paging: a page token is the sort key of the last item returned, opaque to callers, so pages
/// stay stable while rows are added.
/// </summary>
public static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static int PageSize(this PageRequest? page, Validation validation)
    {
        var size = page?.PageSize ?? 0;
        if (size is < 0 or > MaxPageSize) validation.Add("page.page_size", $"must be from 1 to {MaxPageSize} (0 for the default of {DefaultPageSize})");
        return size is > 0 and <= MaxPageSize ? size : DefaultPageSize;
    }

    public static string EncodeToken(params string[] key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('\n', key))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The sort key in <paramref name="page"/>'s token, or null for the first page.</summary>
    public static string[]? DecodeToken(this PageRequest? page, int parts, Validation validation)
    {
        var token = page?.PageToken;
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded = padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '=');
            var key = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('\n');
            if (key.Length == parts) return key;
        }
        catch (FormatException) { }
        validation.Add("page.page_token", "is not a token returned by this list");
        return null;
    }
}
