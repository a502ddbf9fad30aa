using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace EntitlementPortal.Data;

/// <summary>
/// A query of the request path that EF translates once (<c>EF.CompileAsyncQuery</c>) instead of extracting its parameters
/// and looking its translation up at every call: that was about a sixth of a request's time in a profile. EF ties a
/// compiled query to the model and the tracking it first ran with; each database provider, and each test host, has a
/// model of its own, and writes track what reads do not, so the query is compiled for each model and tracking in turn.
/// </summary>
public sealed class CompiledQuery<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private static readonly int TrackingBehaviors = Enum.GetValues<QueryTrackingBehavior>().Length;

    private readonly ConditionalWeakTable<IModel, TQuery?[]> byModel = [];

    public TQuery For(PortalDbContext db)
    {
        var byTracking = byModel.GetValue(db.Model, static _ => new TQuery?[TrackingBehaviors]);
        return byTracking[(int)db.ChangeTracker.QueryTrackingBehavior] ??= compile();
    }
}
