using System.ComponentModel.DataAnnotations;

namespace Rrm.Review;

/// <summary>The Review service's settings (section "Review").</summary>
public sealed class ReviewOptions
{
    public const string SectionName = "Review";

    /// <summary>The Petition service, for facilities (OpenCase, imports), e.g. http://petition:5101.</summary>
    [Required(ErrorMessage = "the Petition service's address is required (environment variable Review__PetitionUrl)")]
    [Url(ErrorMessage = "must be an http(s) URL such as http://127.0.0.1:5101")]
    public string PetitionUrl { get; set; } = "";

    /// <summary>
    /// Holidays skipped by the business-day clocks of the panel phase, besides weekends and US federal
    /// holidays, as YYYY-MM-DD (e.g. Mexican statutory holidays the Secretariat observes).
    /// </summary>
    public List<DateOnly> Holidays { get; set; } = [];

    /// <summary>Reminders go out this many days before a due date (at 9:00 in Washington).</summary>
    public List<int> ReminderDaysBefore { get; set; } = [3, 1];

    /// <summary>
    /// ImportCaseHistory takes at most this many cases per request (a bigger history goes in batches), so that one
    /// request cannot hold a connection for long; 500 is fifteen times the whole public record.
    /// </summary>
    [Range(1, 10_000)]
    public int ImportMaxCases { get; set; } = 500;

    /// <summary>An import stops starting new cases after this long; the rest are reported, and importing again continues.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ImportTimeBudget { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Deadline for calls to the Petition service.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan PetitionCallTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
