import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthenticationRequiredError } from '@slipway/service-kit';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { OidcVerifier } from './oidc-verifier';

/** A real issuer on loopback: a discovery document and the JWKS it points at, as Kubernetes or Keycloak serve them. */
describe('OidcVerifier against an issuer over HTTP', () => {
  let server: Server;
  let issuer: string;
  let signingKey: KeyLike;
  let strangerKey: KeyLike;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url === '/.well-known/openid-configuration') response.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
      else if (request.url === '/keys') response.end(JSON.stringify({ keys: [jwk] }));
      else response.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const sign = (claims: Record<string, unknown>, options: { key?: KeyLike; audience?: string; issuer?: string; expiresIn?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setIssuer(options.issuer ?? issuer)
      .setAudience(options.audience ?? 'slipway')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(options.key ?? signingKey);

  it('accepts a JWT of the issuer for the audience, naming the subject and reading its scopes', async () => {
    const verifier = new OidcVerifier({ issuer, audience: 'slipway' });
    const token = await sign({ sub: 'system:serviceaccount:ml:trainer-bot', scope: 'runs:write promote:staging' });
    expect(OidcVerifier.looksLikeJwt(token)).toBe(true);
    await expect(verifier.verify(token)).resolves.toEqual({ name: 'oidc:system:serviceaccount:ml:trainer-bot', scopes: ['runs:write', 'promote:staging'], source: 'oidc' });
  });

  it('reads scopes from an array claim and names by another claim when configured', async () => {
    const verifier = new OidcVerifier({ issuer, audience: 'slipway', scopesClaim: 'slipway_scopes', nameClaim: 'email' });
    const token = await sign({ sub: '42', email: 'ana@example.com', slipway_scopes: ['feedback:write'] });
    await expect(verifier.verify(token)).resolves.toMatchObject({ name: 'oidc:ana@example.com', scopes: ['feedback:write'] });
  });

  it.each([
    ['signed by another key', { key: undefined as KeyLike | undefined, stranger: true }],
    ['for another audience', { audience: 'someone-else' }],
    ['from another issuer', { issuer: 'https://evil.example' }],
    ['expired', { expiresIn: '-1m' }],
  ])('refuses a JWT %s', async (_case, options) => {
    const verifier = new OidcVerifier({ issuer, audience: 'slipway' });
    const { stranger, ...rest } = options as { stranger?: boolean; key?: KeyLike };
    const token = await sign({ sub: 'mallory', scope: 'admin' }, { ...rest, ...(stranger ? { key: strangerKey } : {}) });
    await expect(verifier.verify(token)).rejects.toThrow(AuthenticationRequiredError);
  });

  it('says where to look when the discovery document cannot be read', async () => {
    const verifier = new OidcVerifier({ issuer: `${issuer}/nowhere`, audience: 'slipway' });
    await expect(verifier.verify(await sign({ sub: 'x' }))).rejects.toThrow(/discovery document .*could not be read.*SLIPWAY_OIDC_JWKS_URL/);
  });
});
