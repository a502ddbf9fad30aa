namespace EntitlementPortal.Tests.Infrastructure;

/// <summary>Races end in success for one side and a typed refusal for the other: collect both without throwing.</summary>
public static class Outcome
{
    public static async Task<Exception?> Of(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }
}
