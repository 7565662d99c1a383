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
    };

    private static PetitionService.PetitionServiceClient Client(CliContext cli) =>
        new(cli.Channel(CliContext.PetitionUrl, "RRM_PETITION_URL", "http://127.0.0.1:5101"));

    private static Command Submit()
    {
        var file = new Option<FileInfo?>("--file") { Description = "A SubmitPetitionRequest as proto3 JSON; flags override its fields" };
        var facility = new Option<string?>("--facility") { Description = "Name of the facility" };
        var organization = new Option<string?>("--petitioner") { Description = "Petitioning organisation (confidential)" };
        var email = new Option<string?>("--email") { Description = "Petitioner's contact e-mail (confidential)" };
        var narrative = new Option<string?>("--narrative") { Description = "What the petition alleges" };
        var language = new Option<string?>("--language") { Description = "en or es" };
        var received = new Option<DateOnly?>("--received") { Description = "Date DOL received it, YYYY-MM-DD (default: today)" };
        var requestId = new Option<string?>("--request-id") { Description = "Makes a retry safe" };
        var command = new Command("submit", "Record a received petition and start the ILC's 30-day review")
        {
            file, facility, organization, email, narrative, language, received, requestId,
        };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var cli = new CliContext(parse);
            var request = parse.GetValue(file) is { } f
                ? JsonParser.Default.Parse<SubmitPetitionRequest>(await File.ReadAllTextAsync(f.FullName, ct))
                : new SubmitPetitionRequest();
            request.Petitioner ??= new Petitioner();
            if (parse.GetValue(facility) is { } fac) request.FacilityName = fac;
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
            if (parse.GetValue(received) is { } date) request.ReceivedDate = new Date { Year = date.Year, Month = date.Month, Day = date.Day };
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

    private static void PrintPetition(Petition p)
    {
        Console.WriteLine($"Petition      {p.PetitionId}");
        Console.WriteLine($"Facility      {p.FacilityName}");
        if (p.Petitioner is not null)
            Console.WriteLine($"Petitioner    {(p.Petitioner.Organization.Length > 0 ? p.Petitioner.Organization : "(anonymous)")}");
        Console.WriteLine($"Language      {(p.Language == PetitionLanguage.Es ? "Spanish" : "English")}");
        Console.WriteLine($"Received      {Format(p.ReceivedDate)}");
        Console.WriteLine($"ILC review    due {Format(p.ReviewDueDate)}");
        Console.WriteLine($"Status        {p.Status switch { PetitionStatus.UnderReview => "under ILC review", var other => other.ToString() }}");
    }

    private static string Format(Date d) => $"{d.Year:D4}-{d.Month:D2}-{d.Day:D2}";
}
