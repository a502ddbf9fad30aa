using EntitlementPortal.Domain;
using MudBlazor;

namespace EntitlementPortal.Components.Shared;

public static class SnackbarActions
{
    /// <summary>Runs a service call from a button: success or the service's own refusal appears as a snackbar.</summary>
    public static async Task<bool> RunAsync(this ISnackbar snackbar, Func<Task> action, string success)
    {
        try
        {
            await action();
            snackbar.Add(success, Severity.Success);
            return true;
        }
        catch (PortalException error)
        {
            snackbar.Add(error.Message, Severity.Error);
            return false;
        }
    }
}
