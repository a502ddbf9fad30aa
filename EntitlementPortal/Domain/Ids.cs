namespace EntitlementPortal.Domain;

public static class Ids
{
    /// <summary>
    /// A time-ordered id (UUID version 7, from the machine's clock): rows made together sit together in every index keyed
    /// by id, so a batch of them (a sweep's) touches a few pages instead of one page per row.
    /// </summary>
    public static Guid New() => Guid.CreateVersion7();
}
