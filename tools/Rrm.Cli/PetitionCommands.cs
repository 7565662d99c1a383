using System.CommandLine;
using Rrm.Grpc.Petition.V1;

namespace Rrm.Cli;

internal static class PetitionCommands
{
    public static Command Create() => new("petition", "Petitions to the Interagency Labor Committee")
    {
        Verb.Create<SubmitPetitionRequest, SubmitPetitionResponse>("submit", "Record a received petition and start the ILC's 30-day review",
            cli => cli.Petitions.SubmitPetitionAsync, r => PrintPetition(r.Petition), i =>
            [
                i.Text("--facility-id", "The registered facility (rrm facility register)", (r, v) => r.FacilityId = v),
                i.Many("--allegation", $"What is alleged: {Enums.Choices<AllegationCategory>()}",
                    (r, v) => r.AllegationCategories.AddRange(v.Select(a => Enums.Parse<AllegationCategory>(a, "--allegation")))),
                i.Many("--law", "A Mexican law cited, e.g. \"Ley Federal del Trabajo, art. 357\"", (r, v) => r.MexicanLawsCited.AddRange(v)),
                i.Flag("--anonymous", "An anonymous petition", r => (r.Petitioner ??= new()).Anonymous = true),
                i.Text("--petitioner", "Petitioning organisation (confidential)", (r, v) => (r.Petitioner ??= new()).Organization = v),
                i.Text("--contact-name", "Petitioner's contact person (confidential)", (r, v) => (r.Petitioner ??= new()).ContactName = v),
                i.Text("--email", "Petitioner's contact e-mail, for notices (confidential)", (r, v) => (r.Petitioner ??= new()).ContactEmail = v),
                i.Text("--narrative", "What the petition alleges", (r, v) => r.Narrative = v),
                i.Choice<PetitionLanguage>("--language", "The petition's language, used for notices to the petitioner", (r, v) => r.Language = v),
                i.Date("--received", "Date DOL received it (default: today)", (r, v) => r.ReceivedDate = v),
                i.Text("--request-id", "Makes a retry safe", (r, v) => r.RequestId = v),
            ]),

        Verb.Create<GetPetitionRequest, GetPetitionResponse>("show", "Show one petition",
            cli => cli.Petitions.GetPetitionAsync, r => PrintPetition(r.Petition),
            i => [i.Id("petition-id", "The petition's id", (r, v) => r.PetitionId = v)]),

        Verb.Create<ListPetitionsRequest, ListPetitionsResponse>("list", "List petitions, newest first (all pages)",
            (cli, r) => Pages.AllAsync(token =>
            {
                (r.Page ??= new()).PageToken = token;
                return cli.Petitions.ListPetitionsAsync(r, cli.Call()).ResponseAsync;
            }, page => page.Petitions, page => page.Page.NextPageToken),
            all => Table.Print(["PETITION", "RECEIVED", "DUE", "STATUS", "FACILITY"],
                all.Petitions.Select(p => new[] { p.PetitionId, p.ReceivedDate.Text(), p.ReviewDueDate.Text(), Enums.Text(p.Status), p.Facility.LegalName })),
            i =>
            [
                i.Choice<PetitionStatus>("--status", "Only petitions in this status", (r, v) => r.Status = v),
                i.Text("--facility-id", "Only this facility's petitions", (r, v) => r.FacilityId = v),
                i.Text("--state", "Only facilities in this Mexican state", (r, v) => r.State = v),
                i.Date("--from", "Received on or after", (r, v) => r.ReceivedFrom = v),
                i.Date("--to", "Received on or before", (r, v) => r.ReceivedTo = v),
            ]),

        Verb.Create<RecordDeterminationRequest, RecordDeterminationResponse>("determine", "Record the ILC's determination",
            cli => cli.Petitions.RecordDeterminationAsync, r => PrintPetition(r.Petition), i =>
            [
                i.Id("petition-id", "The petition's id", (r, v) => r.PetitionId = v),
                i.Choice<DeterminationOutcome>("--outcome", "The ILC's finding", (r, v) => r.Outcome = v),
                i.Date("--date", "Date of the determination (default: today)", (r, v) => r.DeterminationDate = v),
                i.Text("--rationale", "Why", (r, v) => r.Rationale = v),
            ]),

        Verb.Create<WithdrawPetitionRequest, WithdrawPetitionResponse>("withdraw", "Withdraw a petition that has not been determined",
            cli => cli.Petitions.WithdrawPetitionAsync, r => PrintPetition(r.Petition), i =>
            [
                i.Id("petition-id", "The petition's id", (r, v) => r.PetitionId = v),
                i.Date("--date", "Date of withdrawal (default: today)", (r, v) => r.WithdrawalDate = v),
                i.Text("--reason", "Why", (r, v) => r.Reason = v),
            ]),
    };

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
