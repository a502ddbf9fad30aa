namespace EntitlementPortal.Domain;

public sealed class DirectoryUser
{
    private DirectoryUser()
    {
    }

    public Guid Id { get; private set; }
    public string DisplayName { get; private set; } = "";
    public string Mail { get; private set; } = "";
    /// <summary>Lower-cased mail: the unique key for "is this person already in the directory".</summary>
    public string MailNormalized { get; private set; } = "";
    public UserType UserType { get; private set; }
    public bool AccountEnabled { get; private set; } = true;
    public ExternalUserState? ExternalUserState { get; private set; }
    public SubjectLifecycle? Lifecycle { get; private set; }
    public Guid? ConnectedOrganizationId { get; private set; }
    public DateTime CreatedDateTime { get; private set; }
    public DateTime? BlockedDateTime { get; private set; }
    public DateTime? ScheduledDeletionDateTime { get; private set; }
    public DateTime? DeletedDateTime { get; private set; }
    public string? InvitationRedeemTokenHash { get; private set; }

    public bool IsDeleted => DeletedDateTime is not null;
    public bool IsGovernedGuest => UserType == UserType.Guest && Lifecycle == SubjectLifecycle.Governed;

    public static DirectoryUser CreateMember(string displayName, string mail, DateTime now) => new()
    {
        Id = Ids.New(),
        DisplayName = displayName,
        Mail = mail.Trim(),
        MailNormalized = Names.NormalizeEmail(mail),
        UserType = UserType.Member,
        CreatedDateTime = now,
    };

    /// <summary>A guest that existed before entitlement management touched it: never blocked or removed by it.</summary>
    public static DirectoryUser CreateExistingGuest(string displayName, string mail, Guid? connectedOrganizationId, DateTime now) =>
        CreateGuest(displayName, mail, connectedOrganizationId, SubjectLifecycle.NotGoverned, null, now);

    /// <summary>A guest invited by entitlement management at delivery: governed, pending acceptance.</summary>
    public static DirectoryUser InviteGovernedGuest(string displayName, string mail, Guid? connectedOrganizationId, string redeemTokenHash, DateTime now) =>
        CreateGuest(displayName, mail, connectedOrganizationId, SubjectLifecycle.Governed, redeemTokenHash, now);

    private static DirectoryUser CreateGuest(string displayName, string mail, Guid? orgId, SubjectLifecycle lifecycle, string? tokenHash, DateTime now) => new()
    {
        Id = Ids.New(),
        DisplayName = displayName,
        Mail = mail.Trim(),
        MailNormalized = Names.NormalizeEmail(mail),
        UserType = UserType.Guest,
        ExternalUserState = Domain.ExternalUserState.PendingAcceptance,
        Lifecycle = lifecycle,
        ConnectedOrganizationId = orgId,
        InvitationRedeemTokenHash = tokenHash,
        CreatedDateTime = now,
    };

    public void RedeemInvitation()
    {
        EnsureNotDeleted();
        if (ExternalUserState != Domain.ExternalUserState.PendingAcceptance)
        {
            throw new DomainRuleException("This invitation has already been redeemed.");
        }
        ExternalUserState = Domain.ExternalUserState.Accepted;
        InvitationRedeemTokenHash = null;
    }

    public void MarkGoverned()
    {
        EnsureNotDeleted();
        if (UserType != UserType.Guest)
        {
            throw new DomainRuleException("Only guests can be marked as governed.");
        }
        if (Lifecycle == SubjectLifecycle.Governed)
        {
            throw new DomainRuleException("This guest is already governed.");
        }
        Lifecycle = SubjectLifecycle.Governed;
    }

    public void BlockSignIn(DateTime now)
    {
        EnsureNotDeleted();
        if (!AccountEnabled)
        {
            throw new DomainRuleException("Sign-in is already blocked.");
        }
        AccountEnabled = false;
        BlockedDateTime = now;
    }

    public void ScheduleDeletion(DateTime at)
    {
        EnsureNotDeleted();
        if (!IsGovernedGuest)
        {
            throw new DomainRuleException("Only governed guests are removed by entitlement management.");
        }
        ScheduledDeletionDateTime = at;
    }

    /// <summary>A new assignment before removal undoes what the lifecycle settings did.</summary>
    public bool CancelLifecycleActions()
    {
        EnsureNotDeleted();
        var changed = BlockedDateTime is not null || ScheduledDeletionDateTime is not null;
        if (BlockedDateTime is not null)
        {
            AccountEnabled = true;
            BlockedDateTime = null;
        }
        ScheduledDeletionDateTime = null;
        return changed;
    }

    public void MarkDeleted(DateTime now)
    {
        EnsureNotDeleted();
        DeletedDateTime = now;
        ScheduledDeletionDateTime = null;
        AccountEnabled = false;
    }

    public void JoinConnectedOrganization(Guid connectedOrganizationId) => ConnectedOrganizationId ??= connectedOrganizationId;

    private void EnsureNotDeleted()
    {
        if (IsDeleted)
        {
            throw new DomainRuleException("This user has been removed from the directory.");
        }
    }
}
