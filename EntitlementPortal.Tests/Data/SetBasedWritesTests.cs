using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Data;

/// <summary>The sweeps' set-based writes put down the rows SaveChanges would, and refuse a row changed since it was read.</summary>
public class SetBasedWritesTests : ServiceTests
{
    [Fact]
    public async Task Rows_updated_deleted_and_inserted_set_based_read_back_as_SaveChanges_writes_them()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { IsApprovalRequired = false, Stages = [] });
        for (var i = 0; i < 3; i++)
        {
            await s.GrantAsync(Actor.ForEmail($"guest{i}@fabrikam.com"));
        }
        var before = await portal.QueryAsync(db => db.Assignments.AsNoTracking().ToListAsync());
        var ended = portal.Now.AddHours(1);
        await using (var db = portal.NewDb())
        {
            db.WritesSetBased = true;
            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var assignment in await db.Assignments.ToListAsync())
            {
                assignment.End("Removed", ended);
            }
            db.ResourceRoleMemberships.RemoveRange(await db.ResourceRoleMemberships.ToListAsync());
            db.AuditEvents.Add(AuditEvent.Create(ended, AuditCategory.EntitlementManagement, "Set-based test", null, "System", "Test", "1", "It's <b>bold</b> & ünïcode", "details"));
            db.OutboxEmails.Add(OutboxEmail.Create("set-based:1", "guest0@fabrikam.com", "Subject", "Body", ended));
            await db.SaveChangesAsync();
            // Rows written set-based leave the change tracker (SaveChanges would have kept them, unchanged): nothing is written twice.
            Assert.Empty(db.ChangeTracker.Entries());
            await transaction.CommitAsync();
        }

        var after = await portal.QueryAsync(db => db.Assignments.AsNoTracking().ToListAsync());
        Assert.Equal(3, after.Count);
        Assert.All(after, a =>
        {
            Assert.Equal(AssignmentState.Expired, a.State);
            Assert.Equal("Removed", a.Status);
            Assert.Equal(ended, a.ExpiredDateTime);
            Assert.Equal(DateTimeKind.Utc, a.ExpiredDateTime!.Value.Kind);
            Assert.Equal(before.Single(b => b.Id == a.Id).Version + 1, a.Version);
            Assert.Equal(before.Single(b => b.Id == a.Id).StartDateTime, a.StartDateTime);
        });
        Assert.Empty(await portal.QueryAsync(db => db.ResourceRoleMemberships.ToListAsync()));
        var audit = Assert.Single(await portal.AuditAsync("Set-based test"));
        Assert.Equal(("It's <b>bold</b> & ünïcode", "details", ended, (Guid?)null), (audit.TargetName, audit.Details, audit.ActivityDateTime, audit.ActorUserId));
        var email = Assert.Single(await portal.EmailsToAsync("guest0@fabrikam.com"), e => e.IdempotencyKey == "set-based:1");
        Assert.Equal((0, ended, (DateTime?)null), (email.Attempts, email.NextAttemptDateTime, email.SentDateTime));
    }

    [Fact]
    public async Task Values_every_row_shares_go_down_once_and_each_row_still_reads_back_its_own()
    {
        await using var portal = await CreatePortalAsync();
        var at = portal.Now;
        string?[] details = ["same", "same", null, "same", "other", "same"];
        await using (var db = portal.NewDb())
        {
            db.WritesSetBased = true;
            await using var transaction = await db.Database.BeginTransactionAsync();
            for (var i = 0; i < details.Length; i++)
            {
                // Activity, actor, target type and time alike in every row; target and details not.
                db.AuditEvents.Add(AuditEvent.Create(i == 4 ? at.AddSeconds(1) : at, AuditCategory.EntitlementManagement, "Shared values", null, "System", "Test", $"{i}", $"Target {i}", details[i]));
            }
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        var rows = (await portal.AuditAsync("Shared values")).OrderBy(e => int.Parse(e.TargetId, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(details, rows.Select(e => e.Details));
        Assert.Equal([.. Enumerable.Range(0, details.Length).Select(i => $"Target {i}")], rows.Select(e => e.TargetName));
        Assert.Equal([.. Enumerable.Range(0, details.Length).Select(i => i == 4 ? at.AddSeconds(1) : at)], rows.Select(e => e.ActivityDateTime));
        Assert.All(rows, e => Assert.Equal(("System", "Test", (Guid?)null), (e.ActorName, e.TargetType, e.ActorUserId)));
    }

    [Fact]
    public async Task Rows_more_than_one_statement_holds_go_down_in_full_statements_and_a_shorter_last_one_each_row_once()
    {
        await using var portal = await CreatePortalAsync();
        const int count = 2_345;

        await portal.AddAuditEventsAsync("Many rows", count);

        var rows = await portal.AuditAsync("Many rows");
        Assert.Equal(count, rows.Count);
        Assert.Equal([.. Enumerable.Range(0, count)], rows.Select(e => int.Parse(e.TargetId, System.Globalization.CultureInfo.InvariantCulture)).Order());
        Assert.All(rows, e => Assert.Equal($"Target {e.TargetId}", e.TargetName));
    }

    [Fact]
    public async Task A_new_row_with_JSON_parts_written_set_based_reads_back_as_the_same_row_written_by_SaveChanges()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { IsApprovalRequired = false, Stages = [] });
        var approverId = Guid.NewGuid();
        AccessPackageAssignmentRequest Request(string email) => AccessPackageAssignmentRequest.Create(RequestType.UserAdd, s.PackageId, s.PolicyId,
            (null, email), (null, email, "Zoë \"Quote\" <Lee>", s.OrganizationId), "Needs it", [
                new RequestAnswer { QuestionId = "q1", QuestionText = "Which project?", Value = "Falcon ✈" },
                new RequestAnswer { QuestionId = "q2", QuestionText = "Manager", Value = "" },
            ], [
                new ApprovalStage
                {
                    DurationBeforeAutomaticDenialInDays = 3, IsApproverJustificationRequired = true, IsEscalationEnabled = true, DurationBeforeEscalationInDays = 1,
                    PrimaryApprovers = [new Approver { Type = ApproverType.SingleUser, UserId = approverId }, new Approver { Type = ApproverType.InternalSponsors }],
                    EscalationApprovers = [new Approver { Type = ApproverType.ExternalSponsors }],
                },
                new ApprovalStage(),
            ], new ExpirationSettings { Type = ExpirationType.AfterDateTime, EndDateTime = portal.Now.AddDays(9), DurationInDays = null }, portal.Now.AddDays(5), portal.Now);
        var setBased = Request("set-based@fabrikam.com");
        var saved = Request("saved@fabrikam.com");
        await using (var db = portal.NewDb())
        {
            db.WritesSetBased = true;
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.AssignmentRequests.Add(setBased);
            await db.SaveChangesAsync();
            Assert.Empty(db.ChangeTracker.Entries());
            await transaction.CommitAsync();
        }
        await using (var db = portal.NewDb())
        {
            db.AssignmentRequests.Add(saved);
            await db.SaveChangesAsync();
        }

        var rows = await portal.QueryAsync(db => db.AssignmentRequests.AsNoTracking().Where(r => r.Id == setBased.Id || r.Id == saved.Id).ToListAsync());
        var fromSetBased = rows.Single(r => r.Id == setBased.Id);
        var fromSaveChanges = rows.Single(r => r.Id == saved.Id);
        Assert.Equal(Snapshot(fromSaveChanges), Snapshot(fromSetBased).Replace("set-based@", "saved@", StringComparison.Ordinal));
        Assert.Equal(2, fromSetBased.ApprovalStages.Count);
        Assert.Equal(ApproverType.InternalSponsors, fromSetBased.ApprovalStages[0].PrimaryApprovers[1].Type);
        Assert.Equal("Falcon ✈", fromSetBased.Answers[0].Value);
        Assert.Equal(DateTimeKind.Utc, fromSetBased.Expiration.EndDateTime!.Value.Kind);
        Assert.Equal(await StoredRowAsync(portal, "AssignmentRequests", saved.Id, "Id"),
            [.. (await StoredRowAsync(portal, "AssignmentRequests", setBased.Id, "Id")).Select(c => c.Replace("set-based@", "saved@", StringComparison.Ordinal))]);

        // Every field but the ones that differ by design, nested parts included.
        static string Snapshot(AccessPackageAssignmentRequest r) => System.Text.Json.JsonSerializer.Serialize(new
        {
            r.RequestType, r.State, r.Status, r.AccessPackageId, r.AssignmentPolicyId, r.RequestorEmail, r.TargetEmail, r.TargetDisplayName,
            r.TargetConnectedOrganizationId, r.Justification, r.RequestedEndDateTime, r.CreatedDateTime, r.Version, r.Answers, r.ApprovalStages, r.Expiration,
        });
    }

    [Fact]
    public async Task Values_written_set_based_are_stored_exactly_as_SaveChanges_stores_them()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { IsApprovalRequired = false, Stages = [] });
        var bySetBased = await s.GrantAsync(Actor.ForEmail("lee@fabrikam.com"));
        var bySaveChanges = await s.GrantAsync(Actor.ForEmail("kim@fabrikam.com"));
        // A time whose fraction of a second ends in zeros (left off in EF's format), and a GUID with letters.
        var ended = portal.Now.AddTicks(1_234_500);
        var actor = Guid.Parse("0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d");
        AuditEvent Event(string target) => AuditEvent.Create(ended, AuditCategory.EntitlementManagement, "Stored values", actor, "System", "Test", target, "Zoë", null);
        var events = new[] { Event("1"), Event("2") };
        foreach (var (id, setBased, audit) in new[] { (bySetBased.Id, true, events[0]), (bySaveChanges.Id, false, events[1]) })
        {
            await using var db = portal.NewDb();
            db.WritesSetBased = setBased;
            await using var transaction = await db.Database.BeginTransactionAsync();
            (await db.Assignments.SingleAsync(a => a.Id == id)).End("Expired", ended);
            if (setBased)
            {
                // An appended row is not tracked: it goes down with the save all the same.
                db.Append(audit);
                Assert.Empty(db.ChangeTracker.Entries<AuditEvent>());
            }
            else
            {
                db.AuditEvents.Add(audit);
            }
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        Assert.Equal(await StoredRowAsync(portal, "Assignments", bySaveChanges.Id, "Id", "TargetUserId"),
            await StoredRowAsync(portal, "Assignments", bySetBased.Id, "Id", "TargetUserId"));
        var stored = await portal.QueryAsync(db => db.AuditEvents.Where(e => e.Activity == "Stored values").OrderBy(e => e.TargetId).Select(e => e.Id).ToListAsync());
        Assert.Equal(await StoredRowAsync(portal, "AuditEvents", stored[1], "Id", "TargetId"), await StoredRowAsync(portal, "AuditEvents", stored[0], "Id", "TargetId"));
        // SQLite keeps GUIDs as upper-case text, PostgreSQL as uuid.
        Assert.Contains(OnPostgreSql ? $"ActorUserId: {actor} (Guid)" : $"ActorUserId: {actor.ToString().ToUpperInvariant()} (String)",
            await StoredRowAsync(portal, "AuditEvents", stored[0]));
    }

    [Fact]
    public async Task A_row_appended_in_a_sweep_batch_read_ahead_is_not_tracked_and_goes_down_when_the_batch_saves()
    {
        await using var portal = await CreatePortalAsync();
        await using (var db = portal.NewDb())
        {
            // A batch read ahead decides before it begins its transaction.
            db.WritesSetBased = true;
            db.Append(AuditEvent.Create(portal.Now, AuditCategory.EntitlementManagement, "Appended ahead", null, "System", "Test", "1", "x"));
            Assert.Empty(db.ChangeTracker.Entries());
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        Assert.Single(await portal.AuditAsync("Appended ahead"));
    }

    [Fact]
    public async Task A_set_based_insert_a_unique_index_refuses_fails_as_EFs_save_does_with_the_databases_own_error_inside_and_nothing_is_kept()
    {
        await using var portal = await CreatePortalAsync();
        await using (var db = portal.NewDb())
        {
            db.WritesSetBased = true;
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Append(AuditEvent.Create(portal.Now, AuditCategory.EntitlementManagement, "Refused unit", null, "System", "Test", "1", "x"));
            db.Append(OutboxEmail.Create("same-key", "lee@fabrikam.com", "First", "Body", portal.Now));
            db.Append(OutboxEmail.Create("same-key", "lee@fabrikam.com", "Second", "Body", portal.Now));
            var refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.Contains("IdempotencyKey", Assert.IsAssignableFrom<System.Data.Common.DbException>(refused.InnerException).Message, StringComparison.Ordinal);
        }

        Assert.Empty(await portal.AuditAsync("Refused unit"));
        Assert.Empty(await portal.EmailsToAsync("lee@fabrikam.com"));
    }

    [Fact]
    public async Task A_persons_change_writes_a_new_user_before_the_memberships_added_ahead_of_it_and_keeps_its_rows_tracked_as_saved()
    {
        await using var portal = await CreatePortalAsync();
        var groupId = await portal.DirectoryAdmin.CreateResourceAsync(portal.Admin, "Project Falcon", ResourceType.Group);
        var roleId = await portal.QueryAsync(db => db.ResourceRoles.Where(r => r.ResourceId == groupId).Select(r => r.Id).FirstAsync());
        var user = DirectoryUser.CreateMember("Lee Member", "lee@contoso.com", portal.Now);

        var stateAfterSave = await portal.Get<PortalStore>().WriteAsync(Actor.System, async c =>
        {
            // The dependent first: the rows must still go down principal first, or the foreign key refuses them.
            c.Db.ResourceRoleMemberships.Add(new ResourceRoleMembership(user.Id, roleId, c.Now));
            c.Db.Users.Add(user);
            await c.Db.SaveChangesAsync();
            var state = c.Db.Entry(user).State;
            // Saved again from what the first save accepted: only the change goes down.
            user.BlockSignIn(c.Now);
            return state;
        });

        Assert.Equal(EntityState.Unchanged, stateAfterSave);
        var saved = await portal.UserAsync("lee@contoso.com");
        Assert.False(saved.AccountEnabled);
        Assert.Equal([roleId], await portal.RolesOfAsync(saved.Id));
    }

    [Fact]
    public async Task A_row_appended_outside_a_transaction_is_tracked_so_that_it_saves_atomically_with_the_rest()
    {
        await using var portal = await CreatePortalAsync();
        await using (var db = portal.NewDb())
        {
            db.Append(AuditEvent.Create(portal.Now, AuditCategory.EntitlementManagement, "Appended alone", null, "System", "Test", "1", "x"));
            Assert.Single(db.ChangeTracker.Entries<AuditEvent>());
            await db.SaveChangesAsync();
        }

        Assert.Single(await portal.AuditAsync("Appended alone"));
    }

    /// <summary>A row as the database keeps it, read without EF: each column's stored type and value, but those named.</summary>
    private static async Task<List<string>> StoredRowAsync(TestPortal portal, string table, object id, params string[] except)
    {
        await using var db = portal.NewDb();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\" WHERE \"Id\" = @id";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@id";
        parameter.Value = id;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"No row {id} in {table}");
        return [.. Enumerable.Range(0, reader.FieldCount).Where(i => !except.Contains(reader.GetName(i))).Select(i => reader.IsDBNull(i)
            ? $"{reader.GetName(i)}: null"
            : $"{reader.GetName(i)}: {(reader.GetValue(i) is DateTime time ? time.ToString("O") : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))} ({reader.GetValue(i).GetType().Name})")];
    }

    [Fact]
    public async Task A_row_changed_by_another_writer_since_it_was_read_fails_the_set_based_write_and_nothing_is_kept()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal, (_, d) => d with { IsApprovalRequired = false, Stages = [] });
        var granted = await s.GrantAsync(Actor.ForEmail("lee@fabrikam.com"));
        await using var stale = portal.NewDb();
        stale.WritesSetBased = true;
        var assignment = await stale.Assignments.SingleAsync(a => a.Id == granted.Id);
        await portal.Requests.RemoveAssignmentAsync(portal.Admin, granted.Id);

        assignment.End("Expired", portal.Now);
        stale.AuditEvents.Add(AuditEvent.Create(portal.Now, AuditCategory.EntitlementManagement, "Stale write", null, "System", "Test", "1", "x"));
        await using (var transaction = await stale.Database.BeginTransactionAsync())
        {
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => stale.SaveChangesAsync());
        }
        Assert.Empty(await portal.AuditAsync("Stale write"));
        Assert.Equal("Removed", (await portal.QueryAsync(db => db.Assignments.SingleAsync(a => a.Id == granted.Id))).Status);
    }

    [Fact]
    public async Task Rows_made_one_after_another_sort_by_id_in_the_order_they_were_made_so_a_sweep_batch_stays_together_in_the_indexes()
    {
        await using var portal = await CreatePortalAsync();
        var made = new List<DirectoryUser>();
        for (var i = 0; i < 20; i++)
        {
            made.Add(DirectoryUser.CreateMember($"Member {i}", $"member{i}@contoso.com", portal.Now));
            // Ids are ordered by the millisecond they were made in: the next one is made in a later one.
            var madeBy = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            SpinWait.SpinUntil(() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > madeBy);
        }
        await using (var db = portal.NewDb())
        {
            db.Users.AddRange(made.AsEnumerable().Reverse());
            await db.SaveChangesAsync();
        }

        var sorted = await portal.QueryAsync(db => db.Users.Where(u => u.Mail.StartsWith("member")).OrderBy(u => u.Id).Select(u => u.Id).ToListAsync());
        Assert.Equal(made.Select(u => u.Id), sorted);
    }

    [Fact]
    public async Task A_pooled_context_does_not_carry_a_sweeps_set_based_mode_into_the_next_unit_of_work()
    {
        await using var portal = await CreatePortalAsync();
        PortalDbContext first;
        await using (var db = portal.NewDb())
        {
            db.WritesSetBased = true;
            first = db;
        }

        await using var next = portal.NewDb();
        Assert.Same(first, next);
        Assert.False(next.WritesSetBased);
    }
}
