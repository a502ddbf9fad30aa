using EntitlementPortal.Features.Common;
using MudBlazor;

namespace EntitlementPortal.Components.Shared;

public static class GridPaging
{
    /// <summary>The grid's page and first sort column, as the query services take them.</summary>
    public static PageRequest ToPageRequest<T>(this GridState<T> state)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        return new PageRequest(state.Page, state.PageSize, sort?.SortBy, sort?.Descending ?? false);
    }

    public static GridData<T> ToGridData<T>(this PagedResult<T> result) => new() { Items = result.Items, TotalItems = result.TotalItems };
}
