using System.Text.Json;
using Rrm.Contracts.Events;
using Rrm.Notification.Application;
using Rrm.Notification.Domain;

namespace Rrm.Notification.Tests;

/// <summary>The matrix and its templates, without a server: every rule can be rendered in every language it is sent in.</summary>
public sealed class TemplateTests
{
    private static readonly TemplateRenderer Renderer = new();

    public static TheoryData<string, string> RulesAndLanguages()
    {
        var data = new TheoryData<string, string>();
        foreach (var (eventType, template) in NotificationRule.Matrix.Select(r => (r.EventType, r.Template)).Distinct())
            foreach (var language in new[] { "en", "es" }) data.Add($"{eventType}/{template}", language);
        return data;
    }

    [Theory]
    [MemberData(nameof(RulesAndLanguages))]
    public void Every_rule_renders_a_subject_and_a_body_from_its_event(string rule, string language)
    {
        var (eventType, template) = (rule.Split('/')[0], rule.Split('/')[1]);
        var type = EventCatalog.TypeOf(eventType);
        var json = SampleEvents.Json(eventType) ?? JsonSerializer.Serialize(Activator.CreateInstance(type), type, NotificationPlanner.EventJson);

        var rendered = Renderer.Render(template, language, eventType, json);

        Assert.NotEmpty(rendered.Subject);
        Assert.DoesNotContain('\n', rendered.Subject);
        Assert.True(rendered.Body.Length > 40, $"{template}.{rendered.Language}: the body is only '{rendered.Body}'");
        Assert.DoesNotContain("{{", rendered.Subject + rendered.Body);
        Assert.DoesNotContain("{%", rendered.Subject + rendered.Body);
    }

    [Fact]
    public void Everything_sent_to_the_Government_of_Mexico_has_a_Spanish_text()
    {
        var toMexico = NotificationRule.Matrix.Where(r => r.Role == RecipientRole.GovernmentOfMexico).Select(r => r.Template).Distinct();
        Assert.All(toMexico, template => Assert.Contains($"{template}.es", TemplateRenderer.Names));
    }

    [Fact]
    public void Every_template_is_used_by_a_rule_and_every_rule_names_a_known_event()
    {
        var used = NotificationRule.Matrix.Select(r => r.Template).ToHashSet();
        Assert.All(TemplateRenderer.Names, name => Assert.Contains(name[..name.LastIndexOf('.')], used));
        Assert.All(NotificationRule.Matrix, r => Assert.Contains(r.EventType, EventCatalog.Names));
    }

    [Fact]
    public void The_request_to_Mexico_is_written_in_Spanish_with_the_case_facts()
    {
        var rendered = Renderer.Render("request-for-review", "es", "ReviewRequested", SampleEvents.Json("ReviewRequested")!);

        Assert.Equal("es", rendered.Language);
        Assert.Equal("Solicitud de revisión conforme al Anexo 31-A: Impro Industries Mexico, S. de R.L. de C.V.", rendered.Subject);
        Assert.Contains("26 de julio de 2024", rendered.Body);
        Assert.Contains("5 de agosto de 2024", rendered.Body);
        Assert.Contains("9 de septiembre de 2024", rendered.Body);
        Assert.Contains("Villa de Reyes, San Luis Potosí", rendered.Body);
        Assert.Contains("aplazado la liquidación", rendered.Body);
    }

    [Fact]
    public void A_language_without_its_own_text_falls_back_to_English()
    {
        var rendered = Renderer.Render("suspension-direction", "es", "ReviewRequested", SampleEvents.Json("ReviewRequested")!);

        Assert.Equal("en", rendered.Language);
        Assert.Contains("July 26, 2024", rendered.Body);
    }
}
