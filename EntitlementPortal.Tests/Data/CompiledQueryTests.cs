using EntitlementPortal.Data;
using EntitlementPortal.Domain;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Data;

/// <summary>A query compiled once (<see cref="CompiledQuery{TQuery}"/>) answers as the same LINQ would, wherever it runs.</summary>
public class CompiledQueryTests : ServiceTests
{
    private static readonly CompiledQuery<Func<PortalDbContext, string, CancellationToken, Task<DirectoryUser?>>> UserByMail =
        new(() => EF.CompileAsyncQuery((PortalDbContext db, string mail, CancellationToken ct) => db.Users.SingleOrDefault(u => u.MailNormalized == mail)));

    [Fact]
    public async Task A_compiled_query_tracks_what_it_reads_only_in_a_context_that_tracks()
    {
        await using var portal = await CreatePortalAsync();
        var ada = await portal.SeedUserAsync("Ada", "ada@contoso.com");
        await using var db = portal.NewDb();

        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        Assert.Equal(ada.UserId, (await UserByMail.For(db)(db, ada.Email, default))?.Id);
        Assert.Empty(db.ChangeTracker.Entries());

        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.TrackAll;
        Assert.Equal(ada.UserId, (await UserByMail.For(db)(db, ada.Email, default))?.Id);
        Assert.Equal(ada.UserId, Assert.Single(db.ChangeTracker.Entries<DirectoryUser>()).Entity.Id);
    }

    [Fact]
    public async Task A_compiled_query_answers_on_every_portal_in_the_process_whatever_its_database()
    {
        // EF refuses a compiled query on a model other than the one it was compiled for; each portal (and each provider)
        // may have its own, as the test hosts and both providers share this process.
        await using var sqlite = await TestPortal.CreateAsync();
        await using var other = await CreatePortalAsync();
        foreach (var portal in new[] { sqlite, other, sqlite })
        {
            var grace = await portal.SeedUserAsync("Grace", $"grace{Guid.NewGuid():N}@contoso.com");
            await using var db = portal.NewDb();
            Assert.Equal(grace.UserId, (await UserByMail.For(db)(db, grace.Email, default))?.Id);
        }
    }
}
