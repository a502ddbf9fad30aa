using EntitlementPortal.Domain;

namespace EntitlementPortal.Tests.Domain;

/// <summary>Aggregates guard their transitions: the wrong one is a domain error, never a silent no-op.</summary>
public sealed class StateTransitionTests
{
    private static readonly DateTime Now = new(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc);

    private static AccessPackageAssignmentRequest NewRequest(int stages = 1) => AccessPackageAssignmentRequest.Create(
        RequestType.UserAdd, Guid.NewGuid(), Guid.NewGuid(), (null, "a@fabrikam.com"), (null, "a@fabrikam.com", "A", null), null, [],
        Enumerable.Range(0, stages).Select(_ => new ApprovalStage { DurationBeforeAutomaticDenialInDays = 5 }), new ExpirationSettings(), null, Now);

    [Fact]
    public void A_request_cannot_be_approved_before_approval_started() =>
        Assert.Throws<DomainRuleException>(() => NewRequest().Approve(Now));

    [Fact]
    public void A_denied_request_cannot_be_approved_or_delivered()
    {
        var request = NewRequest();
        request.StartApproval(Now);
        request.Deny(Now);
        Assert.Throws<DomainRuleException>(() => request.Approve(Now));
        Assert.Throws<DomainRuleException>(() => request.MarkDelivered(Guid.NewGuid(), Now));
        Assert.Throws<DomainRuleException>(() => request.Cancel(byManager: true, Now));
    }

    [Fact]
    public void A_request_times_out_only_after_its_deadline()
    {
        var request = NewRequest();
        request.StartApproval(Now);
        Assert.Throws<DomainRuleException>(() => request.TimeOut(Now.AddDays(5).AddSeconds(-1)));
        request.TimeOut(Now.AddDays(5));
        Assert.Equal((RequestState.Denied, "Expired"), (request.State, request.Status));
    }

    [Fact]
    public void Requestors_cancel_only_while_pending_but_managers_may_cancel_a_failed_delivery()
    {
        var request = NewRequest(0);
        request.AutoApprove();
        Assert.Throws<DomainRuleException>(() => request.Cancel(byManager: false, Now));
        request.FailDelivery("nope", Now);
        request.Cancel(byManager: true, Now);
        Assert.Equal(RequestState.Canceled, request.State);
    }

    [Fact]
    public void Only_a_failed_delivery_is_reprocessed_and_only_within_14_days()
    {
        var request = NewRequest(0);
        request.AutoApprove();
        Assert.Throws<DomainRuleException>(() => request.Reprocess(Now));
        request.FailDelivery("blocked", Now);
        Assert.Throws<DomainRuleException>(() => request.Reprocess(Now.AddDays(14).AddSeconds(1)));
        request.Reprocess(Now.AddDays(14));
        Assert.Equal(RequestState.Delivering, request.State);
    }

    [Fact]
    public void An_ended_assignment_cannot_end_again_or_be_extended()
    {
        var assignment = AccessPackageAssignment.Deliver(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Now.AddDays(10), Now);
        assignment.End("Expired", Now.AddDays(10));
        Assert.Throws<DomainRuleException>(() => assignment.End("Removed", Now.AddDays(11)));
        Assert.Throws<DomainRuleException>(() => assignment.Extend(Now.AddDays(20)));
    }

    [Fact]
    public void An_extension_must_move_the_end_later()
    {
        var assignment = AccessPackageAssignment.Deliver(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Now.AddDays(10), Now);
        Assert.Throws<DomainRuleException>(() => assignment.Extend(Now.AddDays(10)));
    }

    [Fact]
    public void Only_governed_guests_can_be_scheduled_for_deletion()
    {
        var member = DirectoryUser.CreateMember("M", "m@contoso.com", Now);
        var oldGuest = DirectoryUser.CreateExistingGuest("G", "g@fabrikam.com", null, Now);
        Assert.Throws<DomainRuleException>(() => member.ScheduleDeletion(Now));
        Assert.Throws<DomainRuleException>(() => oldGuest.ScheduleDeletion(Now));
        Assert.Throws<DomainRuleException>(() => member.MarkGoverned());
    }

    [Fact]
    public void A_deleted_user_cannot_be_blocked_or_redeem()
    {
        var guest = DirectoryUser.InviteGovernedGuest("G", "g@fabrikam.com", null, "hash", Now);
        guest.MarkDeleted(Now);
        Assert.Throws<DomainRuleException>(() => guest.BlockSignIn(Now));
        Assert.Throws<DomainRuleException>(() => guest.RedeemInvitation());
        Assert.Throws<DomainRuleException>(() => guest.MarkDeleted(Now));
    }

    [Fact]
    public void Only_a_proposed_organization_can_be_configured()
    {
        var org = ConnectedOrganization.Create("Fabrikam", null, ["fabrikam.com"], [], Now);
        Assert.Throws<DomainRuleException>(() => org.Configure(Now));
        var proposed = ConnectedOrganization.Propose("tailspintoys.com", Now);
        proposed.Configure(Now);
        Assert.Equal(ConnectedOrganizationState.Configured, proposed.State);
    }

    [Theory]
    [InlineData(14 * 24 + 1, null)]
    [InlineData(14 * 24, 14)]
    [InlineData(25, 14)]
    [InlineData(24, 1)]
    [InlineData(1, 1)]
    public void The_due_reminder_depends_on_the_time_left(int hoursLeft, int? reminderDays)
    {
        var assignment = AccessPackageAssignment.Deliver(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Now.AddHours(hoursLeft), Now);
        Assert.Equal(reminderDays, assignment.DueReminder(Now)?.Days);
    }

    [Theory]
    [InlineData("fabrikam.com", true)]
    [InlineData("sub.fabrikam.co.uk", true)]
    [InlineData("xn--bcher-kva.example", true)]
    [InlineData("fabrikam", false)]
    [InlineData("-fabrikam.com", false)]
    [InlineData("fabrikam-.com", false)]
    [InlineData("fab rikam.com", false)]
    [InlineData("FABRIKAM.com", false)]
    [InlineData("fаbrikam.com", false)]
    public void Domains_must_be_lower_case_ascii_dns_names(string domain, bool valid) => Assert.Equal(valid, Names.IsValidDomain(domain));

    [Theory]
    [InlineData("lee@fabrikam.com", true)]
    [InlineData("Lee.Smith+x@Fabrikam.com", true)]
    [InlineData("lee@fabrikam", false)]
    [InlineData("lee", false)]
    [InlineData("lee@@fabrikam.com", false)]
    [InlineData("<script>@fabrikam.com", false)]
    [InlineData("lee@fabrikam.com\n", false)]
    public void Email_addresses_are_validated(string email, bool valid) => Assert.Equal(valid, Names.IsValidEmail(email));
}
