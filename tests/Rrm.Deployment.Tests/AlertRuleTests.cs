using System.Text.RegularExpressions;
using Rrm.Testing;

namespace Rrm.Deployment.Tests;

/// <summary>
/// The prod PrometheusRule (k8s/overlays/prod/alerts.yaml). An alert on a metric nobody exports never fires and
/// never says so: every metric an expression reads must be one the code registers (under the OpenTelemetry-to-
/// Prometheus names the collector gives it) or one of the exporters the deployment scrapes. And the alerts are the
/// ones docs/operations.md lists.
/// </summary>
public sealed partial class AlertRuleTests
{
    /// <summary>
    /// Metrics not from the services: the RabbitMQ plugin and CloudNativePG's exporter (scraped by monitoring.yaml and
    /// the Cluster's PodMonitor), kube-state-metrics and the kubelets' volume statistics (scraped by the Prometheus
    /// Operator stack itself, whose PrometheusRule resource the alerts need anyway).
    /// </summary>
    private static readonly string[] ExporterPrefixes = ["rabbitmq_", "cnpg_", "kube_", "kubelet_volume_stats_"];

    [Fact]
    public async Task Every_alert_reads_only_metrics_the_code_registers_or_a_scraped_exporter_exports()
    {
        var produced = Instruments().SelectMany(PrometheusNames).ToHashSet();
        Assert.Contains("rrm_outbox_published_total", produced);   // the scan finds the code's instruments
        Assert.Contains("rrm_deadlines_overdue", produced);        // and the database gauges

        var problems = new List<string>();
        foreach (var (alert, expr) in await RulesAsync())
            foreach (var metric in MetricNames(expr))
                if (metric.StartsWith("rrm_") ? !produced.Contains(metric) : !ExporterPrefixes.Any(metric.StartsWith))
                    problems.Add($"{alert}: {metric}");

        Assert.True(problems.Count == 0,
            $"metrics nothing exports:\n{string.Join("\n", problems)}\nthe code's: {string.Join(", ", produced.Order())}");
    }

    [Fact]
    public async Task The_alerts_are_those_docs_operations_md_lists_each_with_a_severity_and_a_summary()
    {
        var doc = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "docs", "operations.md"));
        var section = doc[doc.IndexOf("\n## Alerts", StringComparison.Ordinal)..];
        section = section[..(section.IndexOf("\n## ", 3, StringComparison.Ordinal) is var end and > 0 ? end : section.Length)];
        var documented = DocumentedAlert().Matches(section).Select(m => m.Groups[1].Value).ToList();
        var rule = (await Manifests.RenderAsync("prod")).Single(o => o.Kind == "PrometheusRule");
        var rules = rule.Seq("spec.groups").SelectMany(g => Yaml.Seq(g, "rules")).ToList();

        Assert.Equal(documented.Order(), rules.Select(r => Yaml.Str(r, "alert")).Order());
        Assert.Equal(documented.Count, documented.Distinct().Count());
        Assert.All(rules, r =>
        {
            Assert.NotEqual("", Yaml.Str(r, "labels.severity"));
            Assert.NotEqual("", Yaml.Str(r, "annotations.summary"));
        });
    }

    /// <summary>The standard OTLP-to-Prometheus translation the collector applies (docs/operations.md, "Alerts").</summary>
    [Theory]
    [InlineData("rrm.outbox.published", "", "Counter", "rrm_outbox_published_total")]
    [InlineData("rrm.outbox.lag", "ms", "Histogram", "rrm_outbox_lag_milliseconds_bucket,rrm_outbox_lag_milliseconds_sum,rrm_outbox_lag_milliseconds_count")]
    [InlineData("rrm.outbox.oldest_age", "s", "ObservableGauge", "rrm_outbox_oldest_age_seconds")]
    [InlineData("rrm.broker.connected", "", "ObservableGauge", "rrm_broker_connected")]
    [InlineData("rrm.deadlines.failed", "{deadline}", "Counter", "rrm_deadlines_failed_total")]
    [InlineData("rrm.queue.size", "By", "UpDownCounter", "rrm_queue_size_bytes")]
    public void Instrument_names_translate_as_the_collector_exports_them(string name, string unit, string kind, string expected) =>
        Assert.Equal(expected.Split(','), PrometheusNames(new Instrument(name, unit, kind)));

    [Theory]
    [InlineData("max by (job) (rrm_outbox_oldest_age_seconds) > 60", "rrm_outbox_oldest_age_seconds")]
    [InlineData("sum by (job, kind) (increase(rrm_deadlines_failed_total[15m])) > 0", "rrm_deadlines_failed_total")]
    [InlineData("max(rrm_notifications{status=\"Dead\"}) > 0 or sum(increase(rrm_notifications_dead_total[15m])) > 0", "rrm_notifications,rrm_notifications_dead_total")]
    [InlineData("a_total / on (pod) group_left (x) b_total unless c > bool 0.8", "a_total,b_total,c")]
    public void Metric_names_are_read_from_expressions(string expr, string expected) =>
        Assert.Equal(expected.Split(','), MetricNames(expr));

    public sealed record Instrument(string Name, string Unit, string Kind);

    /// <summary>
    /// The rrm.* instruments the code registers: Meter.Create*(name, …) with the name a string literal or a string
    /// constant, the unit its unit: argument (or the positional one), and the database gauges (DatabaseGauge names).
    /// </summary>
    public static List<Instrument> Instruments()
    {
        var sources = new[] { "shared", "services" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(Repository.Root, d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(File.ReadAllText).ToList();
        var constants = sources.SelectMany(s => StringConstant().Matches(s)).GroupBy(m => m.Groups["id"].Value)
            .ToDictionary(g => g.Key, g => g.First().Groups["value"].Value);
        return Instruments(sources, constants).ToList();
    }

    public static IEnumerable<Instrument> Instruments(IEnumerable<string> sources, IReadOnlyDictionary<string, string> constants)
    {
        foreach (var source in sources)
        {
            foreach (Match call in CreateCall().Matches(source))
            {
                var args = Arguments(source, call.Index + call.Length);
                if (args.Count == 0) continue;
                var first = args[0];
                var name = first.StartsWith('"') ? first.Trim('"') : constants.GetValueOrDefault(first.Split('.')[^1], "");
                if (!name.StartsWith("rrm.")) continue;
                var kind = call.Groups["kind"].Value;
                // CreateCounter(name, unit, description); CreateObservableGauge(name, observe, unit, description).
                yield return new Instrument(name, Unit(args, "unit:", kind.StartsWith("Observable") ? 2 : 1), kind);
            }
            // new DatabaseGauge(Name, Description, Tag, Sql, Unit): an observable gauge the service counts in its database.
            foreach (Match gauge in DatabaseGaugeCall().Matches(source))
            {
                var args = Arguments(source, gauge.Index + gauge.Length);
                if (args.Count > 0 && args[0].StartsWith("\"rrm."))
                    yield return new Instrument(args[0].Trim('"'), Unit(args, "Unit:", 4), "ObservableGauge");
            }
        }
    }

    /// <summary>The unit argument of a call: named, or the string literal at its position.</summary>
    private static string Unit(List<string> args, string named, int position) =>
        (args.FirstOrDefault(a => a.StartsWith(named)) is { } argument ? argument[named.Length..].Trim()
            : args.Count > position && args[position].StartsWith('"') ? args[position] : "").Trim('"');

    /// <summary>A call's top-level arguments, from just after its opening parenthesis to the one that closes it.</summary>
    private static List<string> Arguments(string source, int start)
    {
        var args = new List<string>();
        var (depth, from) = (0, start);
        for (var i = start; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '"')
            {
                var quotes = 1;
                while (i + quotes < source.Length && source[i + quotes] == '"') quotes++;
                if (quotes >= 3)   // a raw string literal: to the same run of quotes
                {
                    var end = source.IndexOf(new string('"', quotes), i + quotes, StringComparison.Ordinal);
                    if (end < 0) break;
                    i = end + quotes - 1;
                }
                else if (quotes == 1)   // a string literal: to its unescaped end
                {
                    for (i++; i < source.Length && source[i] != '"'; i++)
                        if (source[i] == '\\') i++;
                }
                else i++;   // ""
            }
            else if (c is '(' or '{' or '[') depth++;
            else if (c is ')' or '}' or ']' && depth > 0) depth--;
            else if (c == ')' || (c == ',' && depth == 0))
            {
                args.Add(source[from..i].Trim());
                from = i + 1;
                if (c == ')') break;
            }
        }
        return args;
    }

    [Theory]
    [InlineData("Meter.CreateObservableGauge(\"rrm.outbox.oldest_age\", () => { var a = 1; return Measure(a); }, unit: \"s\", description: \"x\");", "rrm.outbox.oldest_age", "s", "ObservableGauge")]
    [InlineData("Meter.CreateObservableGauge<int>(Names.Connected, Observe, description: \"1 when connected\");", "rrm.broker.connected", "", "ObservableGauge")]
    [InlineData("Meter.CreateCounter<long>(\"rrm.deadlines.failed\", \"{deadline}\", \"Deadline handlers that threw\");", "rrm.deadlines.failed", "{deadline}", "Counter")]
    [InlineData("services.AddDatabaseGauge<Db>(new(\"rrm.outbox.oldest_age\", \"Age (s)\", Tag: null,\n    $\"\"\"\n    SELECT coalesce(ceil(extract(epoch FROM now() - min(created_at))), 0) FROM \"{schema}\".outbox\n    \"\"\", Unit: \"s\"));", "rrm.outbox.oldest_age", "s", "ObservableGauge")]
    [InlineData("services.AddDatabaseGauge<Db>(new(\"rrm.cases\", \"Cases by state\", \"state\", \"SELECT state, count(*) FROM review.cases GROUP BY state\"));", "rrm.cases", "", "ObservableGauge")]
    public void Instruments_are_found_however_the_call_is_written(string code, string name, string unit, string kind) =>
        Assert.Equal([new Instrument(name, unit, kind)], Instruments([code], new Dictionary<string, string> { ["Connected"] = "rrm.broker.connected" }));

    public static IEnumerable<string> PrometheusNames(Instrument instrument)
    {
        var name = NotInName().Replace(instrument.Name, "_");
        var unit = instrument.Unit switch
        {
            "ms" => "milliseconds", "s" => "seconds", "min" => "minutes", "h" => "hours", "By" => "bytes",
            "1" when instrument.Kind.EndsWith("Gauge") => "ratio",
            _ => "",   // none, or an annotation in braces ({deadline}), which is dropped
        };
        if (unit != "" && !name.EndsWith("_" + unit)) name += "_" + unit;
        return instrument.Kind switch
        {
            "Counter" or "ObservableCounter" => [name.EndsWith("_total") ? name : name + "_total"],
            "Histogram" => [name + "_bucket", name + "_sum", name + "_count"],
            _ => [name],
        };
    }

    /// <summary>The metric names a PromQL expression reads (not functions, keywords, labels or numbers).</summary>
    public static List<string> MetricNames(string expr)
    {
        var text = StringLiteral().Replace(expr, "\"\"");
        text = Braces().Replace(text, " ");
        text = Brackets().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        return Identifier().Matches(text).Select(m => m.Value)
            .Where(name => name is not ("and" or "or" or "unless" or "bool" or "offset" or "inf" or "nan"))
            .Distinct().ToList();
    }

    private static async Task<List<(string Alert, string Expr)>> RulesAsync()
    {
        var rule = (await Manifests.RenderAsync("prod")).Single(o => o.Kind == "PrometheusRule");
        return rule.Seq("spec.groups").SelectMany(g => Yaml.Seq(g, "rules")).Select(r => (Yaml.Str(r, "alert"), Yaml.Str(r, "expr"))).ToList();
    }

    [GeneratedRegex(@"\.Create(?<kind>Counter|Histogram|UpDownCounter|Gauge|ObservableGauge|ObservableCounter|ObservableUpDownCounter)(?:<[^>()]+>)?\(")]
    private static partial Regex CreateCall();

    [GeneratedRegex(@"\b(?:const\s+)?string\s+(?<id>\w+)\s*=\s*""(?<value>rrm\.[^""]+)""")]
    private static partial Regex StringConstant();

    [GeneratedRegex(@"(?:new\s+DatabaseGauge|AddDatabaseGauge<[^>]+>\(\s*new)\s*\(")]
    private static partial Regex DatabaseGaugeCall();

    [GeneratedRegex(@"[^a-zA-Z0-9_:]")]
    private static partial Regex NotInName();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*(?![\w(]|\s*\()")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^\| `(Rrm\w+)`", RegexOptions.Multiline)]
    private static partial Regex DocumentedAlert();
}
