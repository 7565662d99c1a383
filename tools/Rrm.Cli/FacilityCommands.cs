using System.CommandLine;
using Google.Protobuf;
using Rrm.Grpc.Petition.V1;

namespace Rrm.Cli;

internal static class FacilityCommands
{
    public static Command Create() => new("facility", "The registry of covered facilities")
    {
        Register(),
        Show(),
        Search(),
        DeriveMid(),
    };

    private static FacilityService.FacilityServiceClient Client(CliContext cli) =>
        new(cli.Channel(CliContext.PetitionUrl, "RRM_PETITION_URL", "http://127.0.0.1:5101"));

    private static Command Register()
    {
        var file = new Option<FileInfo?>("--file") { Description = "A RegisterFacilityRequest as proto3 JSON; flags override its fields" };
        var legal = new Option<string?>("--legal-name") { Description = "Legal name of the operating company" };
        var common = new Option<string?>("--common-name") { Description = "Name the facility is known by" };
        var street = new Option<string?>("--street") { Description = "Street and number" };
        var city = new Option<string?>("--city") { Description = "City" };
        var state = new Option<string?>("--state") { Description = "Mexican state, by name or code (e.g. San Luis Potosí or SLP)" };
        var sector = new Option<string?>("--sector") { Description = "manufacturing, services or mining" };
        var subsector = new Option<string?>("--subsector") { Description = "e.g. auto-parts, aerospace, other" };
        var description = new Option<string?>("--subsector-description") { Description = "Free text" };
        var owner = new Option<string?>("--owner") { Description = "Owner or parent company" };
        var workers = new Option<int?>("--workers") { Description = "Approximate number of workers" };
        var mids = new Option<string[]>("--mid") { Description = "A known MID (repeatable); one is always derived" };
        var command = new Command("register", "Register a covered facility (derives its MID)")
        {
            file, legal, common, street, city, state, sector, subsector, description, owner, workers, mids,
        };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var cli = new CliContext(parse);
            var request = parse.GetValue(file) is { } f
                ? JsonParser.Default.Parse<RegisterFacilityRequest>(await File.ReadAllTextAsync(f.FullName, ct))
                : new RegisterFacilityRequest();
            if (parse.GetValue(legal) is { } l) request.LegalName = l;
            if (parse.GetValue(common) is { } c) request.CommonName = c;
            if (parse.GetValue(street) is { } s) request.StreetAddress = s;
            if (parse.GetValue(city) is { } ci) request.City = ci;
            if (parse.GetValue(state) is { } st) request.State = st;
            if (parse.GetValue(sector) is { } se) request.Sector = Enums.Parse<Sector>(se, "--sector");
            if (parse.GetValue(subsector) is { } ss) request.Subsector = Enums.Parse<Subsector>(ss, "--subsector");
            if (parse.GetValue(description) is { } d) request.SubsectorDescription = d;
            if (parse.GetValue(owner) is { } o) request.Owner = o;
            if (parse.GetValue(workers) is { } w) request.ApproximateWorkers = w;
            request.Mids.AddRange(parse.GetValue(mids) ?? []);
            var response = await Client(cli).RegisterFacilityAsync(request, cli.Headers(), CliContext.Deadline, ct);
            cli.Print(response, () => PrintFacility(response.Facility));
        }));
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("facility-id");
        var command = new Command("show", "Show one facility") { id };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var cli = new CliContext(parse);
            var response = await Client(cli).GetFacilityAsync(new GetFacilityRequest { FacilityId = parse.GetValue(id) }, cli.Headers(), CliContext.Deadline, ct);
            cli.Print(response, () => PrintFacility(response.Facility));
        }));
        return command;
    }

    private static Command Search()
    {
        var name = new Option<string?>("--name") { Description = "Part of the legal or common name" };
        var state = new Option<string?>("--state") { Description = "Mexican state" };
        var sector = new Option<string?>("--sector") { Description = "manufacturing, services or mining" };
        var mid = new Option<string?>("--mid") { Description = "An exact MID" };
        var command = new Command("search", "Find facilities (all pages)") { name, state, sector, mid };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var cli = new CliContext(parse);
            var request = new SearchFacilitiesRequest { NameContains = parse.GetValue(name) ?? "", State = parse.GetValue(state) ?? "", Mid = parse.GetValue(mid) ?? "", Page = new() };
            if (parse.GetValue(sector) is { } s) request.Sector = Enums.Parse<Sector>(s, "--sector");
            var all = new SearchFacilitiesResponse();
            do
            {
                var page = await Client(cli).SearchFacilitiesAsync(request, cli.Headers(), CliContext.Deadline, ct);
                all.Facilities.AddRange(page.Facilities);
                request.Page.PageToken = page.Page.NextPageToken;
            } while (request.Page.PageToken.Length > 0);
            cli.Print(all, () => Table.Print(["FACILITY", "LEGAL NAME", "CITY", "STATE", "MIDS"],
                all.Facilities.Select(f => new[] { f.FacilityId, f.LegalName, f.City, f.StateCode, string.Join(" ", f.Mids) })));
        }));
        return command;
    }

    private static Command DeriveMid()
    {
        var name = new Option<string>("--name") { Description = "Manufacturer's name", Required = true };
        var street = new Option<string?>("--street") { Description = "Street-address line" };
        var city = new Option<string>("--city") { Description = "City", Required = true };
        var country = new Option<string?>("--country") { Description = "ISO country of origin (default MX)" };
        var province = new Option<string?>("--province") { Description = "Canadian province (for --country CA)" };
        var command = new Command("derive-mid", "Derive an MID by 19 CFR Part 102 without storing anything") { name, street, city, country, province };
        command.SetAction((parse, ct) => CliContext.RunAsync(async () =>
        {
            var cli = new CliContext(parse);
            var response = await Client(cli).DeriveMidAsync(new DeriveMidRequest
            {
                ManufacturerName = parse.GetValue(name)!, StreetAddress = parse.GetValue(street) ?? "", City = parse.GetValue(city)!,
                CountryCode = parse.GetValue(country) ?? "", CanadianProvince = parse.GetValue(province) ?? "",
            }, cli.Headers(), CliContext.Deadline, ct);
            cli.Print(response, () => Console.WriteLine(response.Mid));
        }));
        return command;
    }

    private static void PrintFacility(Facility f)
    {
        Console.WriteLine($"Facility      {f.FacilityId}");
        Console.WriteLine($"Legal name    {f.LegalName}");
        if (f.CommonName.Length > 0) Console.WriteLine($"Known as      {f.CommonName}");
        Console.WriteLine($"Address       {f.StreetAddress}, {f.City}, {f.StateName}");
        Console.WriteLine($"Sector        {Enums.Text(f.Sector)} / {(f.SubsectorDescription.Length > 0 ? f.SubsectorDescription : Enums.Text(f.Subsector))}");
        if (f.Owner.Length > 0) Console.WriteLine($"Owner         {f.Owner}");
        if (f.ApproximateWorkers > 0) Console.WriteLine($"Workers       about {f.ApproximateWorkers:N0}");
        Console.WriteLine($"MIDs          {string.Join(", ", f.Mids)}");
    }
}
