namespace Rrm.ServiceDefaults.Errors;

/// <summary>
/// Collects field violations of one request and throws them together, so a caller learns every
/// problem at once.
/// </summary>
public sealed class Validation
{
    private readonly List<FieldViolation> _violations = [];

    public bool IsValid => _violations.Count == 0;

    public IReadOnlyList<FieldViolation> Violations => _violations;

    public Validation Add(string field, string description)
    {
        _violations.Add(new FieldViolation(field, description));
        return this;
    }

    /// <summary>Required text of at most <paramref name="maxLength"/> characters (after trimming).</summary>
    public Validation RequiredText(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value)) return Add(field, "is required");
        return OptionalText(field, value, maxLength);
    }

    public Validation OptionalText(string field, string? value, int maxLength)
    {
        if (value is not null && value.Trim().Length > maxLength)
            Add(field, $"must be at most {maxLength} characters (got {value.Trim().Length})");
        return this;
    }

    /// <summary>
    /// Required single-line text (a name, an address, a number): like <see cref="RequiredText"/>, and without control
    /// characters, since a CR/LF in a name would break every mail subject or header that carries it.
    /// </summary>
    public Validation RequiredLine(string field, string? value, int maxLength) =>
        string.IsNullOrWhiteSpace(value) ? Add(field, "is required") : OptionalLine(field, value, maxLength);

    public Validation OptionalLine(string field, string? value, int maxLength)
    {
        OptionalText(field, value, maxLength);
        if (value is not null && HasControlCharacter(value))
            Add(field, "must be a single line without control characters (no line breaks or tabs)");
        return this;
    }

    /// <summary>C0 and C1 controls (CR, LF, TAB, NUL…) and the Unicode line and paragraph separators.</summary>
    public static bool HasControlCharacter(string value) => value.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029');

    /// <summary>Throws INVALID_ARGUMENT for one field, e.g. after a check that needed the stored record.</summary>
    public static void Reject(string field, string description) => new Validation().Add(field, description).ThrowIfInvalid();

    public void ThrowIfInvalid()
    {
        if (!IsValid) throw new RequestValidationException(_violations);
    }
}
