using Microsoft.Playwright;

namespace Rrm.Board.Tests;

/// <summary>
/// What every page of the board must be, checked in the browser: plain accessible HTML (a language, one h1 and no
/// skipped heading level, a caption on every table and a scope on its header cells, a label for every form control,
/// a name for every chart), nothing fetched from anywhere but the board itself (no CDN), and nothing of the board's
/// refused by its own Content-Security-Policy.
/// </summary>
public static class PageAudit
{
    /// <summary>What a page fetched, and what the browser refused under the board's Content-Security-Policy.</summary>
    public sealed class Recording
    {
        public List<string> Requests { get; } = [];
        public List<string> Refused { get; } = [];
    }

    /// <summary>Starts recording the page's requests and policy refusals; call before it navigates.</summary>
    public static Recording Record(IPage page)
    {
        var recording = new Recording();
        page.Request += (_, r) => { lock (recording) recording.Requests.Add(r.Url); };
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && m.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                lock (recording) recording.Refused.Add(m.Text);
        };
        return recording;
    }

    public static async Task AssertAccessibleAsync(IPage page, string boardUrl, Recording recording)
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
        string[] elsewhere, refused;
        lock (recording)
        {
            elsewhere = [.. recording.Requests.Where(u => !u.StartsWith(boardUrl.TrimEnd('/') + "/", StringComparison.Ordinal) && !u.StartsWith("data:", StringComparison.Ordinal))];
            refused = [.. recording.Refused];
        }
        Assert.True(elsewhere.Length == 0, $"{page.Url} fetched from elsewhere: {string.Join(", ", elsewhere)}");
        // The page works within its own policy: the browser refused nothing of the board's.
        Assert.True(refused.Length == 0, $"{page.Url}: the browser refused {string.Join("; ", refused)}");
    }
}
