using System.Text.Json;
using System.Text.Json.Nodes;
using Rrm.Contracts.Events;
using Rrm.Notification.Application;
using Rrm.Notification.Domain;

namespace Rrm.Notification.Tests;

/// <summary>
/// Every template, in both languages, renders exactly the text it rendered before the move from DotLiquid to Fluid
/// (docs/adr/0005): <c>Golden/templates.json</c> holds DotLiquid 2.3.260's output, captured before the switch, for the
/// sample events and for events a caller of PreviewNotification may send (text with &lt;, &amp; and quotes, numbers with
/// decimals, fields missing), with and without the earlier events of the case.
/// </summary>
public sealed class TemplateOutputTests
{
    private static readonly TemplateRenderer Renderer = new();

    public sealed record Case(string Id, string Template, string Language, string EventType, string Json, Dictionary<string, string> Earlier);

    public sealed record Output(string Id, string Subject, string Body, string Language);

    /// <summary>The inputs: each rule's event as sent (the sample, else a default one) and four variants of it.</summary>
    public static IEnumerable<Case> Cases()
    {
        var samples = SampleEvents.Types.ToDictionary(t => t, t => SampleEvents.Json(t)!);
        foreach (var (eventType, template) in NotificationRule.Matrix.Select(r => (r.EventType, r.Template)).Distinct())
        {
            var type = EventCatalog.TypeOf(eventType);
            var json = SampleEvents.Json(eventType) ?? JsonSerializer.Serialize(Activator.CreateInstance(type), type, NotificationPlanner.EventJson);
            var variants = new (string Name, string Json, Dictionary<string, string> Earlier)[]
            {
                ("sample", json, []),
                ("with-earlier", json, samples.Where(s => s.Key != eventType).ToDictionary()),
                ("awkward-text", Map(json, text: s => s + " <b>\"Tom & Jerry's\"</b> {{ x }}"), []),
                ("fractions", Map(json, number: n => n + 0.5m), []),
                ("empty", "{}", []),
            };
            foreach (var language in new[] { "en", "es" })
                foreach (var (name, variantJson, earlier) in variants)
                    yield return new Case($"{eventType}/{template}/{language}/{name}", template, language, eventType, variantJson, earlier);
        }
    }

    [Fact]
    public void Every_template_renders_what_DotLiquid_rendered_for_the_same_event()
    {
        var expected = Golden();
        var cases = Cases().ToList();
        Assert.Equal(expected.Keys.Order(), cases.Select(c => c.Id).Order());
        Assert.All(cases, c =>
        {
            var rendered = Renderer.Render(c.Template, c.Language, c.EventType, c.Json, c.Earlier);
            Assert.Equal(expected[c.Id], new Output(c.Id, rendered.Subject, rendered.Body, rendered.Language));
        });
    }

    [Fact]
    public void Text_from_the_event_is_written_as_sent_not_HTML_encoded()
    {
        var json = """{"case": {"facility": {"legalName": "Tom & Jerry's <Fábrica> \"Norte\"", "city": "Saltillo", "stateName": "Coahuila", "mids": []}}}""";

        var rendered = Renderer.Render("request-for-review", "es", "ReviewRequested", json);

        Assert.Contains("Tom & Jerry's <Fábrica> \"Norte\"", rendered.Subject);
        Assert.DoesNotContain("&amp;", rendered.Subject + rendered.Body);
        Assert.DoesNotContain("&#", rendered.Subject + rendered.Body);
    }

    private static Dictionary<string, Output> Golden()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Golden", "templates.json");
        return JsonSerializer.Deserialize<List<Output>>(File.ReadAllText(path))!.ToDictionary(o => o.Id);
    }

    /// <summary>The event with every string (or number) value changed.</summary>
    private static string Map(string json, Func<string, string>? text = null, Func<decimal, decimal>? number = null)
    {
        JsonNode? Walk(JsonNode? node) => node switch
        {
            JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Walk(p.Value)))),
            JsonArray a => new JsonArray(a.Select(Walk).ToArray()),
            JsonValue v when text is not null && v.GetValueKind() == JsonValueKind.String => JsonValue.Create(text(v.GetValue<string>())),
            JsonValue v when number is not null && v.GetValueKind() == JsonValueKind.Number => JsonValue.Create(number(v.GetValue<decimal>())),
            _ => node?.DeepClone(),
        };
        return Walk(JsonNode.Parse(json))!.ToJsonString();
    }
}
