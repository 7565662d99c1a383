using Rrm.Grpc.Petition.V1;
using Rrm.ServiceDefaults.Data;
using Rrm.ServiceDefaults.Errors;
using Rrm.ServiceDefaults.Grpc;
using Domain = Rrm.Petition.Domain;

namespace Rrm.Petition.Grpc;

/// <summary>Checks a SubmitPetitionRequest field by field and turns it into domain values.</summary>
internal static class PetitionInput
{
    public static (Domain.Petitioner Petitioner, List<Domain.AllegationCategory> Categories, List<Domain.EvidenceReference> Evidence,
        Domain.PetitionLanguage Language, DateOnly Received, Guid FacilityId) Validate(SubmitPetitionRequest request, DateOnly today)
    {
        var v = new Validation()
            .OptionalLine("request_id", request.RequestId, ProcessedRequest.MaxRequestIdLength)
            .RequiredText("narrative", request.Narrative, Domain.Petition.MaxNarrativeLength);
        var facilityId = request.FacilityId.ToId("facility_id", v);

        var petitioner = Petitioner(request.Petitioner, v);

        if (request.AllegationCategories.Count == 0) v.Add("allegation_categories", "at least one is required");
        var categories = new List<Domain.AllegationCategory>();
        for (var i = 0; i < request.AllegationCategories.Count; i++)
        {
            if (request.AllegationCategories[i].ToDomain() is { } c) categories.Add(c);
            else v.Add($"allegation_categories[{i}]", "is not an allegation category");
        }

        if (request.MexicanLawsCited.Count > Domain.Petition.MaxLaws) v.Add("mexican_laws_cited", $"at most {Domain.Petition.MaxLaws}");
        for (var i = 0; i < request.MexicanLawsCited.Count; i++)
            v.RequiredLine($"mexican_laws_cited[{i}]", request.MexicanLawsCited[i], Domain.Petition.MaxLawLength);

        if (request.Evidence.Count > Domain.Petition.MaxEvidence) v.Add("evidence", $"at most {Domain.Petition.MaxEvidence}");
        var evidence = new List<Domain.EvidenceReference>();
        for (var i = 0; i < request.Evidence.Count; i++) evidence.Add(Evidence(request.Evidence[i], $"evidence[{i}]", v));

        var language = request.Language.ToDomain();
        if (language is null) v.Add("language", "must be PETITION_LANGUAGE_EN or PETITION_LANGUAGE_ES");
        var received = request.ReceivedDate.ToActDate("received_date", today, v);
        v.ThrowIfInvalid();
        return (petitioner, categories, evidence, language!.Value, received, facilityId);
    }

    private static Domain.Petitioner Petitioner(Rrm.Grpc.Petition.V1.Petitioner? p, Validation v)
    {
        if (p is null)
        {
            v.Add("petitioner", "is required (set petitioner.anonymous for an anonymous petition)");
            return new Domain.Petitioner();
        }
        if (p.Anonymous)
        {
            if (p.Organization.Length + p.ContactName.Length + p.ContactEmail.Length + p.ContactPhone.Length > 0)
                v.Add("petitioner", "an anonymous petition carries no organisation or contact details");
            return new Domain.Petitioner { Anonymous = true };
        }
        v.RequiredLine("petitioner.organization", p.Organization, Domain.Petitioner.MaxOrganizationLength)
            .OptionalLine("petitioner.contact_name", p.ContactName, Domain.Petitioner.MaxContactNameLength)
            .OptionalLine("petitioner.contact_email", p.ContactEmail, Domain.Petitioner.MaxEmailLength)
            .OptionalLine("petitioner.contact_phone", p.ContactPhone, Domain.Petitioner.MaxPhoneLength);
        var email = p.ContactEmail.Trim();
        if (email.Length > 0 && !IsPlausibleEmail(email)) v.Add("petitioner.contact_email", "is not an e-mail address");
        return new Domain.Petitioner
        {
            Organization = p.Organization.Trim(),
            ContactName = p.ContactName.Trim(),
            ContactEmail = email,
            ContactPhone = p.ContactPhone.Trim(),
        };
    }

    private static Domain.EvidenceReference Evidence(Rrm.Grpc.Petition.V1.Evidence e, string field, Validation v)
    {
        v.RequiredLine($"{field}.title", e.Title, 300).RequiredLine($"{field}.media_type", e.MediaType, 255).RequiredLine($"{field}.location", e.Location, 2000);
        var mediaType = e.MediaType.Trim().ToLowerInvariant();
        if (mediaType.Length > 0 && (mediaType.Count(c => c == '/') != 1 || mediaType.StartsWith('/') || mediaType.EndsWith('/') || mediaType.Any(char.IsWhiteSpace)))
            v.Add($"{field}.media_type", "must be a media type such as application/pdf");
        var sha = e.Sha256.Trim().ToLowerInvariant();
        if (sha.Length != 64 || !sha.All(Uri.IsHexDigit)) v.Add($"{field}.sha256", "must be 64 hexadecimal characters");
        if (e.Location.Length > 0 && !Uri.TryCreate(e.Location.Trim(), UriKind.Absolute, out _)) v.Add($"{field}.location", "must be an absolute URI");
        return new Domain.EvidenceReference(e.Title.Trim(), mediaType, sha, e.Location.Trim());
    }

    private static bool IsPlausibleEmail(string email)
    {
        var at = email.IndexOf('@');
        return at > 0 && at == email.LastIndexOf('@') && email.IndexOf('.', at) > at + 1 && !email.EndsWith('.') && !email.Any(char.IsWhiteSpace);
    }
}
