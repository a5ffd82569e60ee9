// A throw-away OpenID Connect provider for the explorer's single sign-on test (loopback only).
// Its development login page accepts any name (the password is not checked) and signs in as that name.
import Provider from "oidc-provider";

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri],
              grant_types: ["authorization_code"], response_types: ["code"] }],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => false },
  async findAccount(ctx, id) {
    return { accountId: id, async claims() { return { sub: id, email: id, email_verified: true, name: id }; } };
  },
});
provider.listen(Number(port), "127.0.0.1", () => console.log(`oidc ready ${issuer}`));
