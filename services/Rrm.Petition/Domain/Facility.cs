using Rrm.ServiceDefaults.Errors;
using Rrm.ServiceDefaults.Reference;

namespace Rrm.Petition.Domain;

public enum Sector { Manufacturing, Services, Mining }

public enum Subsector
{
    None, AutoAssembly, AutoParts, Aerospace, IndustrialBakeries, Electronics, CallCenters, Mining, SteelAndAluminum,
    Cosmetics, Glass, Pottery, Plastics, Forgings, Cement, Tires, Other,
}

/// <summary>A covered facility in Mexico and the MIDs its goods are entered under.</summary>
public sealed class Facility
{
    public const int MaxNameLength = 300;
    public const int MaxAddressLength = 300;
    public const int MaxCityLength = 100;
    public const int MaxWorkers = 1_000_000;
    public const int MaxMids = 20;

    public Guid Id { get; private set; }
    public string LegalName { get; private set; } = "";
    public string CommonName { get; private set; } = "";
    public string StreetAddress { get; private set; } = "";
    public string City { get; private set; } = "";
    public string StateCode { get; private set; } = "";
    public Sector Sector { get; private set; }
    public Subsector Subsector { get; private set; }
    public string SubsectorDescription { get; private set; } = "";
    public string Owner { get; private set; } = "";
    public int ApproximateWorkers { get; private set; }
    public List<string> Mids { get; private set; } = [];
    /// <summary>Folded legal and common names, for accent-insensitive search.</summary>
    public string SearchName { get; private set; } = "";
    /// <summary>Same legal name and address (folded, punctuation ignored) means the same facility.</summary>
    public string DuplicateKey { get; private set; } = "";
    public DateTimeOffset RegisteredAt { get; private set; }
    public uint Version { get; private set; }

    public MexicanState State => MexicanStates.All.Single(s => s.Code == StateCode);

    private Facility() { }

    public static Facility Register(string legalName, string commonName, string streetAddress, string city, MexicanState state,
        Sector sector, Subsector subsector, string subsectorDescription, string owner, int approximateWorkers,
        IEnumerable<string> knownMids, DateTimeOffset now)
    {
        var derived = Mid.Derive(legalName, streetAddress, city);
        return new Facility
        {
            Id = Guid.CreateVersion7(now),
            LegalName = legalName,
            CommonName = commonName,
            StreetAddress = streetAddress,
            City = city,
            StateCode = state.Code,
            Sector = sector,
            Subsector = subsector,
            SubsectorDescription = subsectorDescription,
            Owner = owner,
            ApproximateWorkers = approximateWorkers,
            Mids = knownMids.Append(derived).Distinct().ToList(),
            SearchName = TextFolding.Fold($"{legalName} | {commonName}"),
            DuplicateKey = DuplicateKeyOf(legalName, streetAddress, city, state),
            RegisteredAt = now,
        };
    }

    /// <summary>
    /// Adds a MID the facility's goods may be entered under; false, changing nothing, when it already has it
    /// (a retried request). A MID names one facility: <paramref name="heldBy"/> is the other facility that has it, if any.
    /// </summary>
    public bool AddMid(string mid, (Guid Id, string LegalName)? heldBy)
    {
        if (Mids.Contains(mid)) return false;
        if (heldBy is { } holder)
            throw new InvalidStateTransitionException($"MID {mid} is registered to another facility, {holder.LegalName} (facility_id {holder.Id}); a MID names one facility.");
        if (Mids.Count >= MaxMids)
            throw new RequestValidationException([new("mid", $"the facility already has {MaxMids} MIDs, the most it may have")]);
        Mids = [.. Mids, mid];
        return true;
    }

    public static string DuplicateKeyOf(string legalName, string streetAddress, string city, MexicanState state) =>
        string.Join('|', AlphaNumeric(legalName), AlphaNumeric(streetAddress), AlphaNumeric(city), state.Code);

    private static string AlphaNumeric(string text) => new(TextFolding.Fold(text).Where(char.IsLetterOrDigit).ToArray());
}
