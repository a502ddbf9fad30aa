using System.Data.Common;

namespace EntitlementPortal.Data;

/// <summary>
/// PostgreSQL's serialization failure or deadlock, wherever EF wrapped it: the change lost to a concurrent one and runs
/// again on fresh state. A unique index refusal counts too: under SERIALIZABLE it is how PostgreSQL reports a concurrent
/// insert, and the run on fresh state meets the domain's guard.
/// </summary>
public static class SerializationFailure
{
    public static bool IsIn(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is DbException { SqlState: "40001" or "40P01" or "23505" })
            {
                return true;
            }
        }
        return false;
    }
}
