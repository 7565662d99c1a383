using Microsoft.Playwright;

namespace Rrm.Board.Tests;

/// <summary>
/// What every page of the board must be, checked in the browser: plain accessible HTML (a language, one h1 and no
/// skipped heading level, a caption on every table and a scope on its header cells, a label for every form control,
/// a name for every chart) and nothing fetched from anywhere but the board itself (no CDN).
/// </summary>
public static class PageAudit
{
    /// <summary>Starts recording the page's requests; call before it navigates.</summary>
    public static List<string> RecordRequests(IPage page)
    {
        var requests = new List<string>();
        page.Request += (_, r) => { lock (requests) requests.Add(r.Url); };
        return requests;
    }

    public static async Task AssertAccessibleAsync(IPage page, string boardUrl, List<string> requests)
    {
        var problems = await page.EvaluateAsync<string[]>("""
            () => {
              const p = [];
              if (!document.documentElement.lang) p.push('no lang on <html>');
              if (!document.title) p.push('no <title>');
              const h1 = document.querySelectorAll('h1').length;
              if (h1 !== 1) p.push(`${h1} h1 elements`);
              let last = 0;
              for (const h of document.querySelectorAll('h1,h2,h3,h4,h5,h6')) {
                const level = Number(h.tagName[1]);
                if (level > last + 1) p.push(`heading "${h.textContent.trim()}" skips from h${last} to h${level}`);
                last = level;
              }
              for (const t of document.querySelectorAll('table')) {
                if (!t.querySelector(':scope > caption')?.textContent.trim()) p.push('a table without a caption');
                for (const th of t.querySelectorAll('thead th')) if (!th.getAttribute('scope')) p.push(`header "${th.textContent.trim()}" without scope`);
              }
              for (const c of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
                const labelled = (c.id && document.querySelector(`label[for="${c.id}"]`)) || c.closest('label') || c.getAttribute('aria-label') || c.getAttribute('aria-labelledby');
                if (!labelled) p.push(`a ${c.tagName.toLowerCase()} named "${c.name}" without a label`);
              }
              for (const s of document.querySelectorAll('svg')) {
                if (s.getAttribute('aria-hidden') === 'true') continue;
                if (!(s.getAttribute('aria-label') || s.getAttribute('aria-labelledby') || s.querySelector(':scope > title')))
                  p.push('an svg without a name');
              }
              for (const a of document.querySelectorAll('a')) if (!a.textContent.trim() && !a.getAttribute('aria-label')) p.push(`a link to ${a.href} without text`);
              return p;
            }
            """);
        Assert.True(problems.Length == 0, $"{page.Url}: {string.Join("; ", problems)}");
        string[] elsewhere;
        lock (requests) elsewhere = [.. requests.Where(u => !u.StartsWith(boardUrl.TrimEnd('/') + "/", StringComparison.Ordinal) && !u.StartsWith("data:", StringComparison.Ordinal))];
        Assert.True(elsewhere.Length == 0, $"{page.Url} fetched from elsewhere: {string.Join(", ", elsewhere)}");
    }
}
