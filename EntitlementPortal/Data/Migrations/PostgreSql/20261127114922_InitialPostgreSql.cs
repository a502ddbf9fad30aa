using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace EntitlementPortal.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class InitialPostgreSql : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ActivityDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Category = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Activity = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ActorUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    ActorName = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    TargetType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TargetId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TargetName = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    Result = table.Column<string>(type: "text", nullable: false),
                    Details = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEvents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Catalogs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    IsEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    IsExternallyVisible = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ModifiedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Catalogs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ConnectedOrganizations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    State = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ModifiedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConnectedOrganizations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "text", nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "EntitlementManagementSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    BlockExternalUserFromSigningIn = table.Column<bool>(type: "boolean", nullable: false),
                    RemoveExternalUser = table.Column<bool>(type: "boolean", nullable: false),
                    DaysBeforeRemovingExternalUser = table.Column<int>(type: "integer", nullable: false),
                    ModifiedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EntitlementManagementSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ExternalCollaborationSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    CollaborationRestriction = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TargetDomains = table.Column<string>(type: "text", nullable: false),
                    ModifiedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExternalCollaborationSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OutboxEmails",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    IdempotencyKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    To = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    Subject = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    Body = table.Column<string>(type: "text", nullable: false),
                    CreatedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    NextAttemptDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ClaimedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    SentDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutboxEmails", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Resources",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Description = table.Column<string>(type: "text", nullable: true),
                    ResourceType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Resources", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SignInCodes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    EmailNormalized = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    Salt = table.Column<byte[]>(type: "bytea", nullable: false),
                    CodeHash = table.Column<byte[]>(type: "bytea", nullable: false),
                    ClientKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    ConsumedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SignInCodes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AccessPackages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CatalogId = table.Column<Guid>(type: "uuid", nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    IsHidden = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ModifiedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessPackages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccessPackages_Catalogs_CatalogId",
                        column: x => x.CatalogId,
                        principalTable: "Catalogs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "IdentitySources",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConnectedOrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Value = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdentitySources", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IdentitySources_ConnectedOrganizations_ConnectedOrganizatio~",
                        column: x => x.ConnectedOrganizationId,
                        principalTable: "ConnectedOrganizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Users",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Mail = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    MailNormalized = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    UserType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AccountEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    ExternalUserState = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Lifecycle = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ConnectedOrganizationId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    BlockedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ScheduledDeletionDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DeletedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    InvitationRedeemTokenHash = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Users", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Users_ConnectedOrganizations_ConnectedOrganizationId",
                        column: x => x.ConnectedOrganizationId,
                        principalTable: "ConnectedOrganizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "CatalogResources",
                columns: table => new
                {
                    CatalogId = table.Column<Guid>(type: "uuid", nullable: false),
                    ResourceId = table.Column<Guid>(type: "uuid", nullable: false),
                    AddedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CatalogResources", x => new { x.CatalogId, x.ResourceId });
                    table.ForeignKey(
                        name: "FK_CatalogResources_Catalogs_CatalogId",
                        column: x => x.CatalogId,
                        principalTable: "Catalogs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CatalogResources_Resources_ResourceId",
                        column: x => x.ResourceId,
                        principalTable: "Resources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ResourceRoles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ResourceId = table.Column<Guid>(type: "uuid", nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResourceRoles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ResourceRoles_Resources_ResourceId",
                        column: x => x.ResourceId,
                        principalTable: "Resources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AssignmentPolicies",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AccessPackageId = table.Column<Guid>(type: "uuid", nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    AllowedTargetScope = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    IsEnabled = table.Column<bool>(type: "boolean", nullable: false),
                    IsApprovalRequired = table.Column<bool>(type: "boolean", nullable: false),
                    IsRequestorJustificationRequired = table.Column<bool>(type: "boolean", nullable: false),
                    AllowCustomAssignmentSchedule = table.Column<bool>(type: "boolean", nullable: false),
                    CanExtend = table.Column<bool>(type: "boolean", nullable: false),
                    IsApprovalRequiredForExtension = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ModifiedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Expiration = table.Column<string>(type: "jsonb", nullable: false),
                    Questions = table.Column<string>(type: "jsonb", nullable: true),
                    Stages = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssignmentPolicies", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssignmentPolicies_AccessPackages_AccessPackageId",
                        column: x => x.AccessPackageId,
                        principalTable: "AccessPackages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "IncompatibleAccessPackages",
                columns: table => new
                {
                    AccessPackageId = table.Column<Guid>(type: "uuid", nullable: false),
                    IncompatibleAccessPackageId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IncompatibleAccessPackages", x => new { x.AccessPackageId, x.IncompatibleAccessPackageId });
                    table.ForeignKey(
                        name: "FK_IncompatibleAccessPackages_AccessPackages_AccessPackageId",
                        column: x => x.AccessPackageId,
                        principalTable: "AccessPackages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_IncompatibleAccessPackages_AccessPackages_IncompatibleAcces~",
                        column: x => x.IncompatibleAccessPackageId,
                        principalTable: "AccessPackages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CatalogRoleAssignments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CatalogId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Role = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CatalogRoleAssignments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CatalogRoleAssignments_Catalogs_CatalogId",
                        column: x => x.CatalogId,
                        principalTable: "Catalogs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CatalogRoleAssignments_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ConnectedOrganizationSponsors",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConnectedOrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConnectedOrganizationSponsors", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConnectedOrganizationSponsors_ConnectedOrganizations_Connec~",
                        column: x => x.ConnectedOrganizationId,
                        principalTable: "ConnectedOrganizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ConnectedOrganizationSponsors_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DirectoryRoleAssignments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Role = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DirectoryRoleAssignments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DirectoryRoleAssignments_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AccessPackageResourceRoles",
                columns: table => new
                {
                    AccessPackageId = table.Column<Guid>(type: "uuid", nullable: false),
                    ResourceRoleId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessPackageResourceRoles", x => new { x.AccessPackageId, x.ResourceRoleId });
                    table.ForeignKey(
                        name: "FK_AccessPackageResourceRoles_AccessPackages_AccessPackageId",
                        column: x => x.AccessPackageId,
                        principalTable: "AccessPackages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AccessPackageResourceRoles_ResourceRoles_ResourceRoleId",
                        column: x => x.ResourceRoleId,
                        principalTable: "ResourceRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ResourceRoleMemberships",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    ResourceRoleId = table.Column<Guid>(type: "uuid", nullable: false),
                    AddedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResourceRoleMemberships", x => new { x.UserId, x.ResourceRoleId });
                    table.ForeignKey(
                        name: "FK_ResourceRoleMemberships_ResourceRoles_ResourceRoleId",
                        column: x => x.ResourceRoleId,
                        principalTable: "ResourceRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ResourceRoleMemberships_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AssignmentPolicyTargets",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TargetId = table.Column<Guid>(type: "uuid", nullable: false),
                    AssignmentPolicyId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssignmentPolicyTargets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssignmentPolicyTargets_AssignmentPolicies_AssignmentPolicy~",
                        column: x => x.AssignmentPolicyId,
                        principalTable: "AssignmentPolicies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AssignmentRequests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    State = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AccessPackageId = table.Column<Guid>(type: "uuid", nullable: false),
                    AssignmentPolicyId = table.Column<Guid>(type: "uuid", nullable: true),
                    AssignmentId = table.Column<Guid>(type: "uuid", nullable: true),
                    RequestorUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    RequestorEmail = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    TargetUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    TargetEmail = table.Column<string>(type: "character varying(254)", maxLength: 254, nullable: false),
                    TargetDisplayName = table.Column<string>(type: "text", nullable: false),
                    TargetConnectedOrganizationId = table.Column<Guid>(type: "uuid", nullable: true),
                    Justification = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    RequestedEndDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CurrentStage = table.Column<int>(type: "integer", nullable: false),
                    StageStartedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    StageDeadline = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    StageEscalationDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    IsStageEscalated = table.Column<bool>(type: "boolean", nullable: false),
                    DeliveryError = table.Column<string>(type: "text", nullable: true),
                    CreatedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CompletedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Answers = table.Column<string>(type: "jsonb", nullable: true),
                    ApprovalStages = table.Column<string>(type: "jsonb", nullable: true),
                    Expiration = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssignmentRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssignmentRequests_AccessPackages_AccessPackageId",
                        column: x => x.AccessPackageId,
                        principalTable: "AccessPackages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AssignmentRequests_AssignmentPolicies_AssignmentPolicyId",
                        column: x => x.AssignmentPolicyId,
                        principalTable: "AssignmentPolicies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "Assignments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AccessPackageId = table.Column<Guid>(type: "uuid", nullable: false),
                    AssignmentPolicyId = table.Column<Guid>(type: "uuid", nullable: false),
                    TargetUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    State = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    StartDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiredDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FourteenDayReminderDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    OneDayReminderDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Assignments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Assignments_AccessPackages_AccessPackageId",
                        column: x => x.AccessPackageId,
                        principalTable: "AccessPackages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Assignments_AssignmentPolicies_AssignmentPolicyId",
                        column: x => x.AssignmentPolicyId,
                        principalTable: "AssignmentPolicies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Assignments_Users_TargetUserId",
                        column: x => x.TargetUserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ApprovalDecisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    Stage = table.Column<int>(type: "integer", nullable: false),
                    ApproverUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Decision = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Justification = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    DecidedDateTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApprovalDecisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ApprovalDecisions_AssignmentRequests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "AssignmentRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "EntitlementManagementSettings",
                columns: new[] { "Id", "BlockExternalUserFromSigningIn", "DaysBeforeRemovingExternalUser", "ModifiedDateTime", "RemoveExternalUser" },
                values: new object[] { 1, true, 30, null, true });

            migrationBuilder.InsertData(
                table: "ExternalCollaborationSettings",
                columns: new[] { "Id", "CollaborationRestriction", "ModifiedDateTime", "TargetDomains" },
                values: new object[] { 1, "AllowAnyDomain", null, "[]" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessPackageResourceRoles_ResourceRoleId",
                table: "AccessPackageResourceRoles",
                column: "ResourceRoleId");

            migrationBuilder.CreateIndex(
                name: "IX_AccessPackages_CatalogId_DisplayName",
                table: "AccessPackages",
                columns: new[] { "CatalogId", "DisplayName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AccessPackages_IsHidden_DisplayName",
                table: "AccessPackages",
                columns: new[] { "IsHidden", "DisplayName" });

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalDecisions_ApproverUserId_DecidedDateTime",
                table: "ApprovalDecisions",
                columns: new[] { "ApproverUserId", "DecidedDateTime" });

            migrationBuilder.CreateIndex(
                name: "IX_ApprovalDecisions_RequestId_Stage",
                table: "ApprovalDecisions",
                columns: new[] { "RequestId", "Stage" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentPolicies_AccessPackageId",
                table: "AssignmentPolicies",
                column: "AccessPackageId");

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentPolicies_BroadScope",
                table: "AssignmentPolicies",
                column: "AllowedTargetScope",
                filter: "\"AllowedTargetScope\" IN ('AllMemberUsers', 'AllDirectoryUsers', 'AllConfiguredConnectedOrganizationUsers', 'AllExternalUsers')");

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentPolicyTargets_AssignmentPolicyId",
                table: "AssignmentPolicyTargets",
                column: "AssignmentPolicyId");

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentPolicyTargets_TargetId",
                table: "AssignmentPolicyTargets",
                column: "TargetId");

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentRequests_AccessPackageId_CreatedDateTime",
                table: "AssignmentRequests",
                columns: new[] { "AccessPackageId", "CreatedDateTime" });

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentRequests_AssignmentPolicyId",
                table: "AssignmentRequests",
                column: "AssignmentPolicyId");

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentRequests_State_StageDeadline",
                table: "AssignmentRequests",
                columns: new[] { "State", "StageDeadline" });

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentRequests_TargetEmail_AccessPackageId_State",
                table: "AssignmentRequests",
                columns: new[] { "TargetEmail", "AccessPackageId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentRequests_TargetUserId_CreatedDateTime",
                table: "AssignmentRequests",
                columns: new[] { "TargetUserId", "CreatedDateTime" });

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_AccessPackageId_StartDateTime",
                table: "Assignments",
                columns: new[] { "AccessPackageId", "StartDateTime" });

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_AccessPackageId_State_StartDateTime",
                table: "Assignments",
                columns: new[] { "AccessPackageId", "State", "StartDateTime" });

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_Active_ExpiredDateTime",
                table: "Assignments",
                column: "ExpiredDateTime",
                filter: "\"State\" <> 'Expired'");

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_AssignmentPolicyId",
                table: "Assignments",
                column: "AssignmentPolicyId");

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_TargetUserId_AccessPackageId",
                table: "Assignments",
                columns: new[] { "TargetUserId", "AccessPackageId" },
                unique: true,
                filter: "\"State\" <> 'Expired'");

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_TargetUserId_State",
                table: "Assignments",
                columns: new[] { "TargetUserId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_Activity_ActivityDateTime",
                table: "AuditEvents",
                columns: new[] { "Activity", "ActivityDateTime" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_ActivityDateTime",
                table: "AuditEvents",
                column: "ActivityDateTime");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_TargetId_ActivityDateTime",
                table: "AuditEvents",
                columns: new[] { "TargetId", "ActivityDateTime" });

            migrationBuilder.CreateIndex(
                name: "IX_CatalogResources_ResourceId",
                table: "CatalogResources",
                column: "ResourceId");

            migrationBuilder.CreateIndex(
                name: "IX_CatalogRoleAssignments_CatalogId_UserId_Role",
                table: "CatalogRoleAssignments",
                columns: new[] { "CatalogId", "UserId", "Role" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CatalogRoleAssignments_UserId",
                table: "CatalogRoleAssignments",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_Catalogs_DisplayName",
                table: "Catalogs",
                column: "DisplayName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Catalogs_IsExternallyVisible_DisplayName",
                table: "Catalogs",
                columns: new[] { "IsExternallyVisible", "DisplayName" });

            migrationBuilder.CreateIndex(
                name: "IX_ConnectedOrganizations_DisplayName",
                table: "ConnectedOrganizations",
                column: "DisplayName");

            migrationBuilder.CreateIndex(
                name: "IX_ConnectedOrganizations_State_DisplayName",
                table: "ConnectedOrganizations",
                columns: new[] { "State", "DisplayName" });

            migrationBuilder.CreateIndex(
                name: "IX_ConnectedOrganizationSponsors_ConnectedOrganizationId_UserI~",
                table: "ConnectedOrganizationSponsors",
                columns: new[] { "ConnectedOrganizationId", "UserId", "Kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ConnectedOrganizationSponsors_UserId",
                table: "ConnectedOrganizationSponsors",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_DirectoryRoleAssignments_UserId_Role",
                table: "DirectoryRoleAssignments",
                columns: new[] { "UserId", "Role" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IdentitySources_ConnectedOrganizationId",
                table: "IdentitySources",
                column: "ConnectedOrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_IdentitySources_Kind_Value",
                table: "IdentitySources",
                columns: new[] { "Kind", "Value" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IncompatibleAccessPackages_IncompatibleAccessPackageId",
                table: "IncompatibleAccessPackages",
                column: "IncompatibleAccessPackageId");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxEmails_CreatedDateTime",
                table: "OutboxEmails",
                column: "CreatedDateTime");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxEmails_IdempotencyKey",
                table: "OutboxEmails",
                column: "IdempotencyKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OutboxEmails_SentDateTime_NextAttemptDateTime",
                table: "OutboxEmails",
                columns: new[] { "SentDateTime", "NextAttemptDateTime" });

            migrationBuilder.CreateIndex(
                name: "IX_ResourceRoleMemberships_ResourceRoleId",
                table: "ResourceRoleMemberships",
                column: "ResourceRoleId");

            migrationBuilder.CreateIndex(
                name: "IX_ResourceRoles_ResourceId",
                table: "ResourceRoles",
                column: "ResourceId");

            migrationBuilder.CreateIndex(
                name: "IX_Resources_DisplayName",
                table: "Resources",
                column: "DisplayName");

            migrationBuilder.CreateIndex(
                name: "IX_SignInCodes_ClientKey_CreatedDateTime",
                table: "SignInCodes",
                columns: new[] { "ClientKey", "CreatedDateTime" });

            migrationBuilder.CreateIndex(
                name: "IX_SignInCodes_EmailNormalized_CreatedDateTime",
                table: "SignInCodes",
                columns: new[] { "EmailNormalized", "CreatedDateTime" });

            migrationBuilder.CreateIndex(
                name: "IX_Users_ConnectedOrganizationId",
                table: "Users",
                column: "ConnectedOrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_Users_MailNormalized",
                table: "Users",
                column: "MailNormalized",
                unique: true,
                filter: "\"DeletedDateTime\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Users_ScheduledDeletionDateTime",
                table: "Users",
                column: "ScheduledDeletionDateTime",
                filter: "\"ScheduledDeletionDateTime\" IS NOT NULL AND \"DeletedDateTime\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Users_UserType_DisplayName",
                table: "Users",
                columns: new[] { "UserType", "DisplayName" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccessPackageResourceRoles");

            migrationBuilder.DropTable(
                name: "ApprovalDecisions");

            migrationBuilder.DropTable(
                name: "AssignmentPolicyTargets");

            migrationBuilder.DropTable(
                name: "Assignments");

            migrationBuilder.DropTable(
                name: "AuditEvents");

            migrationBuilder.DropTable(
                name: "CatalogResources");

            migrationBuilder.DropTable(
                name: "CatalogRoleAssignments");

            migrationBuilder.DropTable(
                name: "ConnectedOrganizationSponsors");

            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropTable(
                name: "DirectoryRoleAssignments");

            migrationBuilder.DropTable(
                name: "EntitlementManagementSettings");

            migrationBuilder.DropTable(
                name: "ExternalCollaborationSettings");

            migrationBuilder.DropTable(
                name: "IdentitySources");

            migrationBuilder.DropTable(
                name: "IncompatibleAccessPackages");

            migrationBuilder.DropTable(
                name: "OutboxEmails");

            migrationBuilder.DropTable(
                name: "ResourceRoleMemberships");

            migrationBuilder.DropTable(
                name: "SignInCodes");

            migrationBuilder.DropTable(
                name: "AssignmentRequests");

            migrationBuilder.DropTable(
                name: "ResourceRoles");

            migrationBuilder.DropTable(
                name: "Users");

            migrationBuilder.DropTable(
                name: "AssignmentPolicies");

            migrationBuilder.DropTable(
                name: "Resources");

            migrationBuilder.DropTable(
                name: "ConnectedOrganizations");

            migrationBuilder.DropTable(
                name: "AccessPackages");

            migrationBuilder.DropTable(
                name: "Catalogs");
        }
    }
}
