using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EntitlementPortal.Data;

/// <summary>
/// Logs the database's failures at Error, as EF Core does, except the serialization failures PortalStore runs again:
/// with several nodes writing at once those are routine (about 280 error lines for 2,000 requests on two nodes), and each
/// change went through on a later run. EF's own error events carry no exception to tell them apart, so they go to Debug
/// (<see cref="QuietenEfCoreErrorEvents"/>) and this interceptor, which sees the exception, logs in their place.
/// </summary>
public sealed class DatabaseFailureLog(ILogger<DatabaseFailureLog> logger) : IDbCommandInterceptor, IDbTransactionInterceptor, ISaveChangesInterceptor
{
    public static DbContextOptionsBuilder QuietenEfCoreErrorEvents(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Log(
            (RelationalEventId.CommandError, LogLevel.Debug),
            (RelationalEventId.TransactionError, LogLevel.Debug),
            (CoreEventId.SaveChangesFailed, LogLevel.Debug)));

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => LogCommand(command, eventData);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        LogCommand(command, eventData);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => LogTransaction(eventData);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        LogTransaction(eventData);
        return Task.CompletedTask;
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => LogSave(eventData);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        LogSave(eventData);
        return Task.CompletedTask;
    }

    private void LogCommand(DbCommand command, CommandErrorEventData eventData)
    {
        if (SerializationFailure.IsIn(eventData.Exception))
        {
            logger.LogDebug("A concurrent change cancelled a command ({Elapsed} ms); the operation runs again", eventData.Duration.TotalMilliseconds);
            return;
        }
        if (IsFirstMigrationLookingForItsHistory(command, eventData))
        {
            return;
        }
        logger.LogError(eventData.Exception, "Failed executing DbCommand ({Elapsed} ms){NewLine}{CommandText}",
            eventData.Duration.TotalMilliseconds, Environment.NewLine, command.CommandText);
    }

    /// <summary>
    /// On a new PostgreSQL database EF's migrator reads its history table before creating it and expects the failure;
    /// EF Core logged it as an error on every first start all the same.
    /// </summary>
    private static bool IsFirstMigrationLookingForItsHistory(DbCommand command, CommandErrorEventData eventData) =>
        eventData.CommandSource == CommandSource.Migrations
        && eventData.Exception is DbException { SqlState: "42P01" }
        && command.CommandText.Contains(HistoryRepository.DefaultTableName, StringComparison.Ordinal);

    private void LogTransaction(TransactionErrorEventData eventData)
    {
        if (SerializationFailure.IsIn(eventData.Exception))
        {
            logger.LogDebug("A concurrent change cancelled a transaction at {Action}; the operation runs again", eventData.Action);
            return;
        }
        logger.LogError(eventData.Exception, "An error occurred using a transaction ({Action})", eventData.Action);
    }

    private void LogSave(DbContextErrorEventData eventData)
    {
        // A failed command was logged above with its SQL; what is left are the failures of EF's own checks.
        if (SerializationFailure.IsIn(eventData.Exception) || eventData.Exception.InnerException is DbException)
        {
            return;
        }
        logger.LogError(eventData.Exception, "An exception occurred while saving changes for {Context}", eventData.Context?.GetType().Name);
    }
}
