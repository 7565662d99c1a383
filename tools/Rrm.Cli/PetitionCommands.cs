using System.CommandLine;
using Google.Protobuf;
using Rrm.Grpc.Common.V1;
using Rrm.Grpc.Petition.V1;

namespace Rrm.Cli;

internal static class PetitionCommands
{
    public static Command Create() => new("petition", "Petitions to the Interagency Labor Committee")
    {
        Submit(),
        Show(),
        List(),
        Determine(),
        Withdraw(),
    };

    private static PetitionService.PetitionServiceClient Client(CliContext cli) =>
        new(cli.Channel(CliContext.PetitionUrl, "RRM_PETITION_URL", "http://127.0.0.1:5101"));

    private static Command Submit()
    {
        var file = new Option<FileInfo?>("--file") { Description = "A SubmitPetitionRequest as proto3 JSON; flags override its fields" };
        var facility = new Option<string?>("--facility-id") { Description = "The registered facility (./rrm cli facility register)" };
        var categories = new Option<string[]>("--allegation") { Description = "freedom-of-association, collective-bargaining, retaliation, election-interference, protection-contract or other (repeatable)", AllowMultipleArgumentsPerToken = true };
        var laws = new Option<string[]>("--law") { Description = "A Mexican law cited, e.g. \"Ley Federal del Trabajo, art. 357\" (repeatable)" };
        var anonymous = new Option<bool>("--anonymous") { Description = "An anonymous petition" };
        var organization = new Option<string?>("--petitioner") { Description = "Petitioning organisation (confidential)" };
        var email = new Option<string?>("--email") { Description = "Petitioner's contact e-mail (confidential)" };
        var narrative = new Option<string?>("--narrative") { Description = "What the petition alleges" };
        var language = new Option<string?>("--language") { Description = "en or es" };
        var received = new Option<DateOnly?>("--received") { Description = "Date DOL received it, YYYY-MM-DD (default: today)" };
        var requestId = new Option<string?>("--request-id") { Description = "Makes a retry safe" };
        var command = new Command("submit", "Record a received petition and start the ILC's 30-day review")
        {
            file, facility, categories, laws, anonymous, organization, email, narrative, language, received, requestId,
        };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var cli = new CliContext(parse);
            var request = parse.GetValue(file) is { } f
                ? JsonParser.Default.Parse<SubmitPetitionRequest>(await File.ReadAllTextAsync(f.FullName, ct))
                : new SubmitPetitionRequest();
            request.Petitioner ??= new Petitioner();
            if (parse.GetValue(facility) is { } fac) request.FacilityId = fac;
            foreach (var c in parse.GetValue(categories) ?? []) request.AllegationCategories.Add(Enums.Parse<AllegationCategory>(c, "--allegation"));
            request.MexicanLawsCited.AddRange(parse.GetValue(laws) ?? []);
            if (parse.GetValue(anonymous)) request.Petitioner.Anonymous = true;
            if (parse.GetValue(organization) is { } org) request.Petitioner.Organization = org;
            if (parse.GetValue(email) is { } mail) request.Petitioner.ContactEmail = mail;
            if (parse.GetValue(narrative) is { } text) request.Narrative = text;
            if (parse.GetValue(language) is { } lang)
                request.Language = lang.ToLowerInvariant() switch
                {
                    "en" => PetitionLanguage.En,
                    "es" => PetitionLanguage.Es,
                    _ => throw new FormatException("--language must be en or es"),
                };
            if (parse.GetValue(received) is { } date) request.ReceivedDate = date.ToProto();
            if (parse.GetValue(requestId) is { } id) request.RequestId = id;
            var response = await Client(cli).SubmitPetitionAsync(request, cli.Headers(), CliContext.Deadline, ct);
            cli.Print(response, () => PrintPetition(response.Petition));
        }));
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("petition-id") { Description = "The petition's id" };
        var command = new Command("show", "Show one petition") { id };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var cli = new CliContext(parse);
            var response = await Client(cli).GetPetitionAsync(new GetPetitionRequest { PetitionId = parse.GetValue(id) }, cli.Headers(), CliContext.Deadline, ct);
            cli.Print(response, () => PrintPetition(response.Petition));
        }));
        return command;
    }

    private static Command List()
    {
        var status = new Option<string?>("--status") { Description = "received, under-review, sufficient, insufficient or withdrawn" };
        var facility = new Option<string?>("--facility-id") { Description = "Only this facility's petitions" };
        var state = new Option<string?>("--state") { Description = "Only facilities in this Mexican state" };
        var from = new Option<DateOnly?>("--from") { Description = "Received on or after, YYYY-MM-DD" };
        var to = new Option<DateOnly?>("--to") { Description = "Received on or before, YYYY-MM-DD" };
        var command = new Command("list", "List petitions, newest first (all pages)") { status, facility, state, from, to };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var cli = new CliContext(parse);
            var request = new ListPetitionsRequest { FacilityId = parse.GetValue(facility) ?? "", State = parse.GetValue(state) ?? "", Page = new() };
            if (parse.GetValue(status) is { } s) request.Status = Enums.Parse<PetitionStatus>(s, "--status");
            if (parse.GetValue(from) is { } f) request.ReceivedFrom = f.ToProto();
            if (parse.GetValue(to) is { } t) request.ReceivedTo = t.ToProto();
            var all = new ListPetitionsResponse();
            do
            {
                var page = await Client(cli).ListPetitionsAsync(request, cli.Headers(), CliContext.Deadline, ct);
                all.Petitions.AddRange(page.Petitions);
                request.Page.PageToken = page.Page.NextPageToken;
            } while (request.Page.PageToken.Length > 0);
            cli.Print(all, () => Table.Print(["PETITION", "RECEIVED", "DUE", "STATUS", "FACILITY"],
                all.Petitions.Select(p => new[] { p.PetitionId, p.ReceivedDate.Text(), p.ReviewDueDate.Text(), Enums.Text(p.Status), p.Facility.LegalName })));
        }));
        return command;
    }

    private static Command Determine()
    {
        var id = new Argument<string>("petition-id") { Description = "The petition's id" };
        var outcome = new Option<string>("--outcome") { Description = "sufficient or insufficient", Required = true };
        var date = new Option<DateOnly?>("--date") { Description = "Date of the determination, YYYY-MM-DD (default: today)" };
        var rationale = new Option<string>("--rationale") { Description = "Why", Required = true };
        var command = new Command("determine", "Record the ILC's determination") { id, outcome, date, rationale };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var cli = new CliContext(parse);
            var request = new RecordDeterminationRequest
            {
                PetitionId = parse.GetValue(id),
                Outcome = Enums.Parse<DeterminationOutcome>(parse.GetValue(outcome)!, "--outcome"),
                Rationale = parse.GetValue(rationale)!,
                DeterminationDate = parse.GetValue(date)?.ToProto(),
            };
            var response = await Client(cli).RecordDeterminationAsync(request, cli.Headers(), CliContext.Deadline, ct);
            cli.Print(response, () => PrintPetition(response.Petition));
        }));
        return command;
    }

    private static Command Withdraw()
    {
        var id = new Argument<string>("petition-id") { Description = "The petition's id" };
        var date = new Option<DateOnly?>("--date") { Description = "Date of withdrawal, YYYY-MM-DD (default: today)" };
        var reason = new Option<string?>("--reason") { Description = "Why" };
        var command = new Command("withdraw", "Withdraw a petition that has not been determined") { id, date, reason };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var cli = new CliContext(parse);
            var request = new WithdrawPetitionRequest { PetitionId = parse.GetValue(id), Reason = parse.GetValue(reason) ?? "", WithdrawalDate = parse.GetValue(date)?.ToProto() };
            var response = await Client(cli).WithdrawPetitionAsync(request, cli.Headers(), CliContext.Deadline, ct);
            cli.Print(response, () => PrintPetition(response.Petition));
        }));
        return command;
    }

    private static void PrintPetition(Petition p)
    {
        Console.WriteLine($"Petition      {p.PetitionId}");
        Console.WriteLine($"Facility      {p.Facility.LegalName} ({p.Facility.City}, {p.Facility.StateCode})");
        if (p.Petitioner is not null)
            Console.WriteLine($"Petitioner    {(p.Petitioner.Anonymous ? "(anonymous)" : p.Petitioner.Organization)}");
        Console.WriteLine($"Alleges       {string.Join(", ", p.AllegationCategories.Select(Enums.Text))}");
        Console.WriteLine($"Language      {(p.Language == PetitionLanguage.Es ? "Spanish" : "English")}");
        Console.WriteLine($"Received      {p.ReceivedDate.Text()}");
        Console.WriteLine($"ILC review    due {p.ReviewDueDate.Text()}");
        Console.WriteLine($"Status        {Enums.Text(p.Status)}");
        if (p.Determination is { } d)
            Console.WriteLine($"Determined    {Enums.Text(d.Outcome)} on {d.DeterminationDate.Text()} ({(d.Timely ? "on time" : "late")}): {d.Rationale}");
        if (p.WithdrawalDate is not null) Console.WriteLine($"Withdrawn     {p.WithdrawalDate.Text()} {p.WithdrawalReason}");
    }
}
