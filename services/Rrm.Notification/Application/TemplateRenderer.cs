using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using DotLiquid;

namespace Rrm.Notification.Application;

/// <summary>A rendered notification.</summary>
public sealed record Rendered(string Subject, string Body, string Template, string Language);

/// <summary>
/// Renders the Liquid templates (DotLiquid; see docs/adr/0005) in Templates/: <c>&lt;template&gt;.&lt;language&gt;.liquid</c>, whose first line is
/// "Subject: …" and the rest the body, as plain text. A template missing in a language falls back to English.
/// The model: <c>event</c> (the event's JSON), <c>case</c> (its case, when it has one), <c>event_type</c>,
/// <c>language</c>, <c>earlier</c> (the latest event of each type received before for the case, by type name, e.g.
/// <c>earlier.RemediationPlanAgreed.actions</c>; empty in previews); filters <c>long_date</c> (a YYYY-MM-DD date written out in the language) and <c>ordinal</c>.
/// </summary>
public sealed class TemplateRenderer
{
    private readonly ConcurrentDictionary<string, (Template Subject, Template Body)?> _templates = new();

    private static readonly string[] MonthsEn = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] MonthsEs = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];

    public static IEnumerable<string> Names =>
        typeof(TemplateRenderer).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("Templates/")).Select(n => n["Templates/".Length..^".liquid".Length]);

    /// <summary>Renders <paramref name="template"/> for an event given as JSON (camelCase, as events are published).</summary>
    public Rendered Render(string template, string language, string eventType, string eventJson,
        IReadOnlyDictionary<string, string>? earlierEvents = null)
    {
        var (compiled, used) = Find(template, language)
            ?? throw new InvalidOperationException($"There is no template '{template}' (Templates/{template}.en.liquid).");
        using var document = JsonDocument.Parse(eventJson);
        // An event is a JSON object; anything else (PreviewNotification takes the caller's JSON) is not an event.
        if (document.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException($"an event is a JSON object, not {document.RootElement.ValueKind}");
        var model = (Dictionary<string, object?>)ToModel(document.RootElement)!;
        var earlier = (earlierEvents ?? new Dictionary<string, string>()).ToDictionary(e => e.Key, e =>
        {
            using var earlierDocument = JsonDocument.Parse(e.Value);
            return ToModel(earlierDocument.RootElement);
        });
        var variables = Hash.FromDictionary(new Dictionary<string, object?>
        {
            ["event"] = model, ["case"] = model.GetValueOrDefault("case"), ["event_type"] = eventType, ["language"] = used, ["earlier"] = earlier,
        });
        string Render(Template t) => t.Render(new RenderParameters(CultureInfo.InvariantCulture)
        {
            LocalVariables = variables, Filters = [typeof(Filters)], ErrorsOutputMode = ErrorsOutputMode.Rethrow,
        });
        return new Rendered(Render(compiled.Subject).Trim(), Render(compiled.Body).Trim() + "\n", template, used);
    }

    private ((Template Subject, Template Body) Compiled, string Language)? Find(string template, string language)
    {
        foreach (var lang in language == "en" ? ["en"] : new[] { language, "en" })
            if (_templates.GetOrAdd($"{template}.{lang}", Load) is { } compiled) return (compiled, lang);
        return null;
    }

    private static (Template, Template)? Load(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Templates/{name}.liquid");
        if (stream is null) return null;
        var text = new StreamReader(stream).ReadToEnd().Replace("\r\n", "\n");
        var newline = text.IndexOf('\n');
        var first = newline < 0 ? text : text[..newline];
        if (!first.StartsWith("Subject:")) throw new InvalidOperationException($"Templates/{name}.liquid must start with a 'Subject:' line.");
        return (Parse(name, first["Subject:".Length..]), Parse(name, newline < 0 ? "" : text[(newline + 1)..]));
    }

    private static Template Parse(string name, string text)
    {
        try { return Template.Parse(text); }
        catch (DotLiquid.Exceptions.SyntaxException e) { throw new InvalidOperationException($"Templates/{name}.liquid: {e.Message}"); }
    }

    private static object? ToModel(JsonElement e) => e.ValueKind switch
    {
        // A repeated key is valid JSON: the last one counts (as in JavaScript), rather than failing the render.
        JsonValueKind.Object => e.EnumerateObject().Aggregate(new Dictionary<string, object?>(), (model, p) => { model[p.Name] = ToModel(p.Value); return model; }),
        JsonValueKind.Array => e.EnumerateArray().Select(ToModel).ToList(),
        JsonValueKind.String => e.GetString(),
        // A number beyond decimal (1e400) is valid JSON too: kept as written.
        JsonValueKind.Number => e.TryGetDecimal(out var n) ? n : e.GetRawText(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>"2024-07-26" → "July 26, 2024" / "26 de julio de 2024".</summary>
    public static string LongDate(string iso, string language)
    {
        if (!DateOnly.TryParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return iso;
        return language == "es" ? $"{d.Day} de {MonthsEs[d.Month - 1]} de {d.Year}" : $"{MonthsEn[d.Month - 1]} {d.Day}, {d.Year}";
    }

    /// <summary>The templates' own filters (DotLiquid names them by the Ruby convention: LongDate is long_date).</summary>
    public static class Filters
    {
        public static string LongDate(Context context, object? input) => TemplateRenderer.LongDate($"{input}", $"{context["language"]}");

        public static string Ordinal(object? input) => long.TryParse($"{input}", out var n)
            ? n + ((n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" })
            : $"{input}";
    }
}
