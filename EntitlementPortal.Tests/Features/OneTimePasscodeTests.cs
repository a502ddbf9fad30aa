using System.Text;
using System.Text.RegularExpressions;
using EntitlementPortal.Domain;
using EntitlementPortal.Features.SignIn;
using EntitlementPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EntitlementPortal.Tests.Features;

public partial class OneTimePasscodeTests : ServiceTests
{
    private const string Email = "lee@fabrikam.com";

    [Fact]
    public async Task A_six_digit_code_arrives_by_email_and_signs_in_once()
    {
        await using var portal = await CreatePortalAsync();
        var passcodes = portal.Get<OneTimePasscodeService>();
        await passcodes.RequestCodeAsync("Lee@Fabrikam.com", "203.0.113.7");
        var code = await LatestCodeAsync(portal);
        Assert.Equal(Email, await passcodes.VerifyAsync(Email, code));
        var reuse = await Assert.ThrowsAsync<PortalValidationException>(() => passcodes.VerifyAsync(Email, code));
        Assert.Equal("Code", Assert.Single(reuse.Failures).Field);
    }

    [Fact]
    public async Task Codes_are_stored_only_as_salted_hashes()
    {
        await using var portal = await CreatePortalAsync();
        await portal.Get<OneTimePasscodeService>().RequestCodeAsync(Email, "client");
        var code = await LatestCodeAsync(portal);
        var stored = await portal.QueryAsync(db => db.SignInCodes.SingleAsync());
        Assert.Equal(16, stored.Salt.Length);
        Assert.NotEqual(Encoding.UTF8.GetBytes(code), stored.CodeHash);
        Assert.Equal(System.Security.Cryptography.HMACSHA256.HashData(stored.Salt, Encoding.UTF8.GetBytes(code)), stored.CodeHash);
    }

    [Fact]
    public async Task A_code_expires_after_10_minutes()
    {
        await using var portal = await CreatePortalAsync();
        var passcodes = portal.Get<OneTimePasscodeService>();
        await passcodes.RequestCodeAsync(Email, "client");
        var code = await LatestCodeAsync(portal);
        portal.Clock.Advance(TimeSpan.FromMinutes(10));
        var expired = await Assert.ThrowsAsync<PortalValidationException>(() => passcodes.VerifyAsync(Email, code));
        Assert.Contains("expired", expired.Message);
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_code_even_for_the_right_one()
    {
        await using var portal = await CreatePortalAsync();
        var passcodes = portal.Get<OneTimePasscodeService>();
        await passcodes.RequestCodeAsync(Email, "client");
        var code = await LatestCodeAsync(portal);
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < SignInCode.MaxAttempts; i++)
        {
            var error = await Assert.ThrowsAsync<PortalValidationException>(() => passcodes.VerifyAsync(Email, wrong));
            Assert.Equal("That code is not right. Check the e-mail and try again.", error.Failures[0].Message);
        }
        var locked = await Assert.ThrowsAsync<PortalValidationException>(() => passcodes.VerifyAsync(Email, code));
        Assert.Equal("Too many wrong codes. Ask for a new code.", locked.Failures[0].Message);
    }

    [Fact]
    public async Task A_new_code_replaces_the_previous_one()
    {
        await using var portal = await CreatePortalAsync();
        var passcodes = portal.Get<OneTimePasscodeService>();
        await passcodes.RequestCodeAsync(Email, "client");
        var first = await LatestCodeAsync(portal);
        portal.Clock.Advance(TimeSpan.FromSeconds(1));
        await passcodes.RequestCodeAsync(Email, "client");
        var second = await LatestCodeAsync(portal);
        if (first != second)
        {
            await Assert.ThrowsAsync<PortalValidationException>(() => passcodes.VerifyAsync(Email, first));
        }
        Assert.Equal(Email, await passcodes.VerifyAsync(Email, second));
    }

    [Fact]
    public async Task Requests_are_throttled_per_address_and_per_client()
    {
        await using var portal = await CreatePortalAsync();
        var passcodes = portal.Get<OneTimePasscodeService>();
        for (var i = 0; i < OneTimePasscodeService.MaxCodesPerAddress; i++)
        {
            await passcodes.RequestCodeAsync(Email, $"client-{i}");
        }
        await Assert.ThrowsAsync<PortalValidationException>(() => passcodes.RequestCodeAsync(Email, "client-x"));
        for (var i = 0; i < OneTimePasscodeService.MaxCodesPerClient; i++)
        {
            await passcodes.RequestCodeAsync($"user{i}@fabrikam.com", "one-client");
        }
        await Assert.ThrowsAsync<PortalValidationException>(() => passcodes.RequestCodeAsync("another@fabrikam.com", "one-client"));
        portal.Clock.Advance(OneTimePasscodeService.ThrottleWindow);
        await passcodes.RequestCodeAsync(Email, "client-x");
    }

    [Fact]
    public async Task A_blocked_account_cannot_sign_in()
    {
        await using var portal = await CreatePortalAsync();
        var s = await Scenario.CreateAsync(portal);
        var assignment = await s.GrantAsync(EntitlementPortal.Features.Common.Actor.ForEmail(Email));
        await portal.Requests.RelinquishAsync(await s.AsDirectoryUserAsync(Email), assignment.Id);
        var passcodes = portal.Get<OneTimePasscodeService>();
        await passcodes.RequestCodeAsync(Email, "client");
        var blocked = await Assert.ThrowsAsync<PortalValidationException>(async () => await passcodes.VerifyAsync(Email, await LatestCodeAsync(portal)));
        Assert.Equal("Your account is blocked from signing in to this directory.", blocked.Failures[0].Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-email")]
    [InlineData("lee@fabrikam.com\r\nBcc: x@evil.example")]
    public async Task Invalid_addresses_get_no_code(string email)
    {
        await using var portal = await CreatePortalAsync();
        var error = await Assert.ThrowsAsync<PortalValidationException>(() => portal.Get<OneTimePasscodeService>().RequestCodeAsync(email, "client"));
        Assert.Equal("Email", Assert.Single(error.Failures).Field);
        Assert.Empty(await portal.QueryAsync(db => db.OutboxEmails.ToListAsync()));
    }

    public static async Task<string> LatestCodeAsync(TestPortal portal)
    {
        var email = await portal.QueryAsync(db => db.OutboxEmails.Where(e => e.Subject == "Your EntitlementPortal sign-in code").OrderByDescending(e => e.Id).FirstAsync());
        return SixDigits().Match(email.Body).Value;
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
