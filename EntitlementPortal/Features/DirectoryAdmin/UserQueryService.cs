using System.Linq.Expressions;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Access;
using EntitlementPortal.Features.Common;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Features.DirectoryAdmin;

public sealed record UserFilter(string? Search = null, UserType? UserType = null, SubjectLifecycle? Lifecycle = null, bool OnlyBlocked = false, bool OnlyScheduledForRemoval = false, bool IncludeRemoved = false);

public sealed record UserRow(
    Guid Id, string DisplayName, string Mail, UserType UserType, ExternalUserState? ExternalUserState, SubjectLifecycle? Lifecycle,
    bool AccountEnabled, DateTime? ScheduledDeletionDateTime, DateTime? DeletedDateTime, string? ConnectedOrganization, int ActiveAssignments);

public sealed class UserQueryService(PortalStore store)
{
    private static readonly Dictionary<string, Expression<Func<DirectoryUser, object?>>> Columns = new()
    {
        ["DisplayName"] = u => u.DisplayName,
        ["Mail"] = u => u.MailNormalized,
        ["UserType"] = u => u.UserType,
        ["ScheduledDeletionDateTime"] = u => u.ScheduledDeletionDateTime,
    };

    public Task<PagedResult<UserRow>> SearchAsync(Actor actor, UserFilter filter, PageRequest page, CancellationToken ct = default) =>
        store.ReadAsync(actor, async (db, a) =>
        {
            a.Require(PortalAccessService.IsAdministrator(a), "list the users of the directory");
            var users = db.Users.AsQueryable();
            if (!filter.IncludeRemoved)
            {
                users = users.Where(u => u.DeletedDateTime == null);
            }
            if (!string.IsNullOrWhiteSpace(filter.Search))
            {
                var words = filter.Search.Trim().ToLowerInvariant();
                users = users.Where(u => u.DisplayName.ToLower().Contains(words) || u.MailNormalized.Contains(words));
            }
            if (filter.UserType is { } type)
            {
                users = users.Where(u => u.UserType == type);
            }
            if (filter.Lifecycle is { } lifecycle)
            {
                users = users.Where(u => u.Lifecycle == lifecycle);
            }
            if (filter.OnlyBlocked)
            {
                users = users.Where(u => !u.AccountEnabled);
            }
            if (filter.OnlyScheduledForRemoval)
            {
                users = users.Where(u => u.ScheduledDeletionDateTime != null);
            }
            var rows = from u in users.SortAndPage(page, Columns, "DisplayName")
                       join o in db.ConnectedOrganizations on u.ConnectedOrganizationId equals o.Id into orgs
                       from o in orgs.DefaultIfEmpty()
                       select new UserRow(u.Id, u.DisplayName, u.Mail, u.UserType, u.ExternalUserState, u.Lifecycle, u.AccountEnabled,
                           u.ScheduledDeletionDateTime, u.DeletedDateTime, o == null ? null : o.DisplayName,
                           db.Assignments.Count(x => x.TargetUserId == u.Id && x.State != AssignmentState.Expired));
            return new PagedResult<UserRow>(await rows.ToListAsync(ct), await users.CountAsync(ct));
        }, ct);
}
