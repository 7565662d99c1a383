using System.Net.Sockets;
using Npgsql;
using Rrm.ServiceDefaults.Errors;

namespace Rrm.ServiceDefaults.Data;

/// <summary>
/// A failure that says nothing about the request or message, only that the database cannot be reached now
/// (refused connection, admin shutdown during a restart, a pool timeout): the same work succeeds later.
/// </summary>
public static class TransientFailure
{
    public static bool Is(Exception e) => e.AndInner().Any(x => x is NpgsqlException { IsTransient: true } or TimeoutException or SocketException);
}
