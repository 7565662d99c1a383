using Rrm.ServiceDefaults.Security;
using Rrm.Testing;

namespace Rrm.ServiceDefaults.Tests;

/// <summary>
/// The policies the services enforce (<see cref="RpcAuthorization.Table"/>) are the role matrix of docs/security.md, row
/// by row, and cover every RPC the protos declare. (The end-to-end AuthorizationMatrixTests call each RPC with each role.)
/// </summary>
public sealed class RpcAuthorizationTests
{
    [Fact]
    public void The_table_has_a_row_for_every_RPC_the_protos_declare_and_no_other()
    {
        Assert.NotEmpty(ProtoServices.Methods);
        Assert.Equal(ProtoServices.Methods.Select(ProtoServices.PathOf).Order(StringComparer.Ordinal),
            RpcAuthorization.Table.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Each_row_of_the_table_allows_exactly_the_roles_the_documented_matrix_allows()
    {
        var (roles, rows) = SecurityDoc.ReadMatrix();
        Assert.Equal(Roles.All, roles);
        var differences = new List<string>();
        foreach (var (rpc, documented) in rows)
        {
            if (!RpcAuthorization.Table.TryGetValue(rpc, out var allowed))
            {
                differences.Add($"{rpc}: documented, but not in RpcAuthorization.Table");
                continue;
            }
            foreach (var role in roles.Where(r => documented[r] != allowed.Contains(r)))
                differences.Add($"{rpc} as {role}: the document says {(documented[role] ? "allow" : "deny")}, the code {(allowed.Contains(role) ? "allows" : "denies")}");
        }
        differences.AddRange(RpcAuthorization.Table.Keys.Except(rows.Keys).Select(rpc => $"{rpc}: in the code, but not documented"));
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [Fact]
    public void Every_RPC_needs_one_of_the_roles_and_names_no_other()
    {
        Assert.All(RpcAuthorization.Table, row =>
        {
            Assert.NotEmpty(row.Value);
            Assert.All(row.Value, role => Assert.Contains(role, Roles.All));
        });
    }
}
