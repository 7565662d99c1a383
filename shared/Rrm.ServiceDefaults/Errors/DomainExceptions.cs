namespace Rrm.ServiceDefaults.Errors;

/// <summary>One bad field of a request: the proto field path (e.g. <c>petitioner.contact_email</c>) and why.</summary>
public sealed record FieldViolation(string Field, string Description);

/// <summary>The request is malformed; nothing was changed. Mapped to INVALID_ARGUMENT.</summary>
public sealed class RequestValidationException(IReadOnlyList<FieldViolation> violations)
    : Exception("Invalid request: " + string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")))
{
    public IReadOnlyList<FieldViolation> Violations { get; } = violations;
}

/// <summary>The thing asked for does not exist. Mapped to NOT_FOUND.</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>An act not allowed in the aggregate's current state. Mapped to FAILED_PRECONDITION.</summary>
public sealed class InvalidStateTransitionException(string message) : Exception(message);

/// <summary>Someone else changed the aggregate first. Mapped to ABORTED: reload and retry.</summary>
public sealed class ConcurrencyConflictException(string message) : Exception(message);

/// <summary>The thing to create exists already. Mapped to ALREADY_EXISTS.</summary>
public sealed class AlreadyExistsException(string message) : Exception(message);

/// <summary>This instance cannot answer now (e.g. it cannot show its state is current); another may. Mapped to UNAVAILABLE.</summary>
public sealed class UnavailableException(string message) : Exception(message);
