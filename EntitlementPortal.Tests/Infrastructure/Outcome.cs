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

    /// <summary>Runs the actions one after another, as one person clicking through a list, and collects each outcome.</summary>
    public static async Task<List<Exception?>> OfEach(IEnumerable<Func<Task>> actions)
    {
        var outcomes = new List<Exception?>();
        foreach (var action in actions)
        {
            outcomes.Add(await Of(action()));
        }
        return outcomes;
    }
}
