using System.Net;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.Audit;
using EntitlementPortal.Features.Common;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace EntitlementPortal.Tests.Features;

public class ExportTests : ServiceTests
{
    [Fact]
    public void Csv_quotes_separators_and_defuses_spreadsheet_formulas()
    {
        var csv = Csv.Write(["Name", "Note"], [["Fabrikam, Inc.", "=HYPERLINK(\"http://evil\")"], ["Line\nbreak", "+1"], [null, "@cmd"]]);
        Assert.Equal("Name,Note\r\n\"Fabrikam, Inc.\",\"'=HYPERLINK(\"\"http://evil\"\")\"\r\n\"Line\nbreak\",'+1\r\n,'@cmd\r\n", csv);
    }

    [Fact]
    public async Task The_audit_export_follows_the_filter_and_only_administrators_get_it()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await s.GrantAsync(Actor.ForEmail("lee@fabrikam.com"));
        var audit = portal.Get<AuditQueryService>();
        var csv = await audit.ExportCsvAsync(portal.Admin, new AuditFilter(Activity: "Fulfill access package assignment"));
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Date (UTC),Category,Activity,Actor,Target type,Target,Result,Details", lines[0]);
        Assert.Single(lines.Skip(1));
        Assert.Contains("lee@fabrikam.com", lines[1]);
        await Assert.ThrowsAsync<ForbiddenException>(() => audit.ExportCsvAsync(s.Approver, new AuditFilter()));
    }

    [Fact]
    public async Task The_connected_organizations_download_lists_domains_and_sponsors()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        await portal.Organizations.AddSponsorAsync(portal.Admin, s.OrganizationId, s.Approver.UserId!.Value, SponsorKind.Internal);
        var csv = await portal.Organizations.ExportCsvAsync(portal.Admin, null, ConnectedOrganizationState.Configured);
        Assert.Contains("Fabrikam,Partner,Configured,fabrikam.com,,1,0,", csv);
    }

    [Fact]
    public async Task Signed_out_visitors_are_sent_to_sign_in_instead_of_getting_a_download()
    {
        var folder = Path.Combine(TestFiles.Root, $"ep-export-{Guid.NewGuid():N}");
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:Portal", $"Data Source={Path.Combine(folder, "portal.db")}");
            web.UseSetting("Jobs:Enabled", "false");
        });
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/exports/audit.csv");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/signin", response.Headers.Location!.ToString());
    }
}
