using EntitlementPortal.Features.Approvals;
using EntitlementPortal.Features.Assignments;
using EntitlementPortal.Features.Lifecycle;
using EntitlementPortal.Features.Notifications;
using Quartz;

namespace EntitlementPortal.Jobs;

// Thin shells: each job calls one idempotent service method that is safe to run twice at once.

[DisallowConcurrentExecution]
public sealed class ApprovalTimeoutJob(ApprovalService approvals) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await approvals.ProcessTimeoutsAsync(cancellationToken);
}

[DisallowConcurrentExecution]
public sealed class DeliveryJob(DeliveryService delivery) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await delivery.DeliverPendingAsync(cancellationToken);
}

[DisallowConcurrentExecution]
public sealed class AssignmentExpiryJob(AssignmentSweepService sweep) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await sweep.ProcessDueAsync(cancellationToken);
}

[DisallowConcurrentExecution]
public sealed class GuestRemovalJob(ExternalUserLifecycle lifecycle) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await lifecycle.RemoveDueGuestsAsync(cancellationToken);
}

[DisallowConcurrentExecution]
public sealed class OutboxDispatchJob(OutboxDispatcher dispatcher) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await dispatcher.DispatchAsync(cancellationToken);
}
