using System.CommandLine;
using Rrm.Grpc.Petition.V1;

namespace Rrm.Cli;

internal static class FacilityCommands
{
    public static Command Create() => new("facility", "The registry of covered facilities")
    {
        Verb.Create<RegisterFacilityRequest, RegisterFacilityResponse>("register", "Register a covered facility (derives its MID)",
            cli => cli.Facilities.RegisterFacilityAsync, r => Print(r.Facility), i =>
            [
                i.Text("--legal-name", "Legal name of the operating company", (r, v) => r.LegalName = v),
                i.Text("--common-name", "Name the facility is known by", (r, v) => r.CommonName = v),
                i.Text("--street", "Street and number, as on the customs entry", (r, v) => r.StreetAddress = v),
                i.Text("--city", "City", (r, v) => r.City = v),
                i.Text("--state", "Mexican state, by name or code (San Luis Potosí or SLP)", (r, v) => r.State = v),
                i.Choice<Sector>("--sector", "Sector", (r, v) => r.Sector = v),
                i.Choice<Subsector>("--subsector", "Subsector", (r, v) => r.Subsector = v),
                i.Text("--subsector-description", "Free text", (r, v) => r.SubsectorDescription = v),
                i.Text("--owner", "Owner or parent company", (r, v) => r.Owner = v),
                i.Number("--workers", "Approximate number of workers", (r, v) => r.ApproximateWorkers = v),
                i.Many("--mid", "A known MID; one is always derived", (r, v) => r.Mids.AddRange(v)),
            ]),

        Verb.Create<GetFacilityRequest, GetFacilityResponse>("show", "Show one facility",
            cli => cli.Facilities.GetFacilityAsync, r => Print(r.Facility),
            i => [i.Id("facility-id", "The facility's id", (r, v) => r.FacilityId = v)]),

        Verb.Create<AddFacilityMidRequest, AddFacilityMidResponse>("add-mid", "Add a MID to a registered facility (orders in force extend to it)",
            cli => cli.Facilities.AddFacilityMidAsync, r =>
            {
                if (!r.Added) Console.WriteLine("The facility already had this MID: nothing changed.");
                Print(r.Facility);
            }, i =>
            [
                i.Id("facility-id", "The facility's id", (r, v) => r.FacilityId = v),
                i.Text("--mid", "The MID to add, e.g. a spelling variant found on entries", (r, v) => r.Mid = v),
                i.Date("--date", "From when orders in force apply to it, YYYY-MM-DD (default today)", (r, v) => r.EffectiveDate = v),
            ]),

        Verb.Create<SearchFacilitiesRequest, SearchFacilitiesResponse>("search", "Find facilities (all pages)",
            (cli, r) => Pages.AllAsync(token =>
            {
                (r.Page ??= new()).PageToken = token;
                return cli.Facilities.SearchFacilitiesAsync(r, cli.Call()).ResponseAsync;
            }, page => page.Facilities, page => page.Page.NextPageToken),
            all => Table.Print(["FACILITY", "LEGAL NAME", "CITY", "STATE", "MIDS"],
                all.Facilities.Select(f => new[] { f.FacilityId, f.LegalName, f.City, f.StateCode, string.Join(" ", f.Mids) })),
            i =>
            [
                i.Text("--name", "Part of the legal or common name", (r, v) => r.NameContains = v),
                i.Text("--state", "Mexican state, by name or code", (r, v) => r.State = v),
                i.Choice<Sector>("--sector", "Sector", (r, v) => r.Sector = v),
                i.Text("--mid", "An exact MID", (r, v) => r.Mid = v),
            ]),

        Verb.Create<DeriveMidRequest, DeriveMidResponse>("derive-mid", "Derive an MID by 19 CFR Part 102 without storing anything",
            cli => cli.Facilities.DeriveMidAsync, r => Console.WriteLine(r.Mid), i =>
            [
                i.Text("--name", "Manufacturer's name", (r, v) => r.ManufacturerName = v),
                i.Text("--street", "Street-address line", (r, v) => r.StreetAddress = v),
                i.Text("--city", "City", (r, v) => r.City = v),
                i.Text("--country", "ISO country of origin (default MX)", (r, v) => r.CountryCode = v),
                i.Text("--province", "Canadian province (with --country CA)", (r, v) => r.CanadianProvince = v),
            ]),
    };

    private static void Print(Facility f)
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
