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

    /// <summary>Deadline for calls to the Petition service.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan PetitionCallTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
