namespace Rrm.ServiceDefaults.Errors;

public static class ExceptionChain
{
    /// <summary><paramref name="e"/> and its inner exceptions, outermost first (EF and Npgsql wrap the cause).</summary>
    public static IEnumerable<Exception> AndInner(this Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
    }
}
