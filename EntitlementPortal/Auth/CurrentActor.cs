using EntitlementPortal.Features.Common;
using Microsoft.AspNetCore.Components.Authorization;

namespace EntitlementPortal.Auth;

/// <summary>The signed-in person of this circuit, as the services want them.</summary>
public sealed class CurrentActor(AuthenticationStateProvider authentication)
{
    public async Task<Actor> GetAsync() => PortalClaims.ToActor((await authentication.GetAuthenticationStateAsync()).User);
}
