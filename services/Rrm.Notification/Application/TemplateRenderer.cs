using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Fluid;
using Fluid.Values;

namespace Rrm.Notification.Application;

/// <summary>A rendered notification.</summary>
public sealed record Rendered(string Subject, string Body, string Template, string Language);

/// <summary>
/// Renders the Liquid templates (Fluid; see docs/adr/0005) in Templates/: <c>&lt;template&gt;.&lt;language&gt;.liquid</c>, whose first line is
/// "Subject: …" and the rest the body, as plain text. A template missing in a language falls back to English.
/// The model: <c>event</c> (the event's JSON), <c>case</c> (its case, when it has one), <c>event_type</c>,
/// <c>language</c>, <c>earlier</c> (the latest event of each type received before for the case, by type name, e.g.
/// <c>earlier.RemediationPlanAgreed.actions</c>; empty in previews); filters <c>long_date</c> (a YYYY-MM-DD date written out in the language) and <c>ordinal</c>.
/// </summary>
public sealed class TemplateRenderer
{
    private readonly ConcurrentDictionary<string, (IFluidTemplate Subject, IFluidTemplate Body)?> _templates = new();

    private static readonly FluidParser Parser = new();

    /// <summary>
    /// Dates and numbers written invariantly; an unknown filter fails the render (as a typo in a template should) rather
    /// than passing its input through. The notices are plain text: values are written as they are, never HTML-encoded
    /// (<see cref="NullEncoder"/> at each render).
    /// </summary>
    private static readonly TemplateOptions Options = CreateOptions();

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
        var context = new TemplateContext(Options);
        context.SetValue("event", model);
        context.SetValue("case", model.GetValueOrDefault("case"));
        context.SetValue("event_type", eventType);
        context.SetValue("language", used);
        context.SetValue("earlier", earlier);
        string Render(IFluidTemplate t) => t.Render(context, NullEncoder.Default);
        return new Rendered(Render(compiled.Subject).Trim(), Render(compiled.Body).Trim() + "\n", template, used);
    }

    private ((IFluidTemplate Subject, IFluidTemplate Body) Compiled, string Language)? Find(string template, string language)
    {
        foreach (var lang in language == "en" ? ["en"] : new[] { language, "en" })
            if (_templates.GetOrAdd($"{template}.{lang}", Load) is { } compiled) return (compiled, lang);
        return null;
    }

    private static (IFluidTemplate, IFluidTemplate)? Load(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Templates/{name}.liquid");
        if (stream is null) return null;
        var text = new StreamReader(stream).ReadToEnd().Replace("\r\n", "\n");
        var newline = text.IndexOf('\n');
        var first = newline < 0 ? text : text[..newline];
        if (!first.StartsWith("Subject:")) throw new InvalidOperationException($"Templates/{name}.liquid must start with a 'Subject:' line.");
        return (Parse(name, first["Subject:".Length..]), Parse(name, newline < 0 ? "" : text[(newline + 1)..]));
    }

    private static IFluidTemplate Parse(string name, string text) =>
        Parser.TryParse(text, out var template, out var error) ? template : throw new InvalidOperationException($"Templates/{name}.liquid: {error}");

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions { CultureInfo = CultureInfo.InvariantCulture, StrictFilters = true };
        options.Filters.AddFilter("long_date", (input, _, context) =>
            new StringValue(LongDate(input.ToStringValue(), context.GetValue("language").ToStringValue())));
        options.Filters.AddFilter("ordinal", (input, _, _) => new StringValue(Ordinal(input.ToStringValue())));
        return options;
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

    /// <summary>"25" → "25th"; anything else as it is.</summary>
    public static string Ordinal(string input) => long.TryParse(input, out var n)
        ? n + ((n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" })
        : input;
}
