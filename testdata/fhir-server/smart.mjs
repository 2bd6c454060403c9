// SMART on FHIR authorization server for the FHIR test peer (server.js --smart): oidc-provider 9 (a
// certified OpenID Provider) configured as SMART App Launch v2 and Backend Services expect, plus the
// resource-server side the FHIR peer uses to check every bearer token.
//
//  - a public native client (client id from --smart-client-id): authorization code with PKCE (S256,
//    required), loopback redirect on any port, refresh tokens with offline_access (rotated), revocation;
//  - backend clients registered at run time through dynamic client registration (RFC 7591, POST /reg
//    with the admin token as initial access token): client_credentials with private_key_jwt (RS384/ES384);
//  - access tokens are JWTs (RS256, the peer's own key, published at /jwks) whose audience is the FHIR
//    base (resource indicators; SMART's `aud` parameter maps to it), lifetime --smart-token-ttl seconds;
//  - a second resource ("http://127.0.0.1/other-api") so tests can get a token for another audience.
//
// The login page is oidc-provider's development interaction (any user name and password); the account id
// typed there becomes Practitioner/<id> in the fhirUser claim.
import crypto from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';
import * as jose from 'jose';

export const OTHER_RESOURCE = 'http://127.0.0.1/other-api';

const TYPES = ['Patient', 'Practitioner', 'PractitionerRole', 'Organization', 'Coverage', 'ServiceRequest', 'Task',
  'DocumentReference', 'Binary', 'QuestionnaireResponse', 'Appointment', 'Communication', 'DiagnosticReport',
  'ImagingStudy', 'Condition', 'Observation', 'Endpoint', 'Location', 'Provenance'];

// Every v2 scope a client may be granted, for user/ and system/ contexts; a client gets what it asks for.
function allScopes() {
  const out = [];
  for (const ctx of ['user', 'system', 'patient']) {
    for (const t of [...TYPES, '*']) {
      for (const p of ['c', 'r', 'u', 'd', 's', 'rs', 'cu', 'cru', 'crs', 'cruds', 'crus', 'read', 'write', '*']) out.push(`${ctx}/${t}.${p}`);
    }
  }
  return out.join(' ');
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

/**
 * Starts the authorization server on 127.0.0.1 (a free port) and returns
 * { issuer, smartConfiguration(), verify(authorizationHeader) -> {scopes, sub, clientId} | throws, close() }.
 */
export async function startSmart({ fhirBase, tokenTTL, clientId, adminToken }) {
  const server = http.createServer();
  const port = await listen(server);
  const issuer = `http://127.0.0.1:${port}`;

  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await jose.exportJWK(privateKey)), kid: `peer-${port}`, use: 'sig', alg: 'RS256' };
  const scope = allScopes();

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: ['http://127.0.0.1/callback'],
      },
    ],
    jwks: { keys: [signingKey] },
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', 'fhirUser'],
    claims: { openid: ['sub'], fhirUser: ['fhirUser'] },
    conformIdTokenClaims: false,
    clientAuthMethods: ['none', 'private_key_jwt'],
    enabledJWA: { clientAuthSigningAlgValues: ['RS384', 'ES384', 'RS256', 'ES256'] },
    async findAccount(ctx, id) {
      return { accountId: id, claims: async () => ({ sub: id, fhirUser: `${fhirBase}/Practitioner/${encodeURIComponent(id)}` }) };
    },
    ttl: {
      AccessToken: tokenTTL,
      ClientCredentials: tokenTTL,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 86400,
      RefreshToken: 86400,
    },
    // Refresh tokens are rotated for public clients (one-time use), as real servers do.
    rotateRefreshToken: true,
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      clientCredentials: { enabled: true },
      // The registering party chooses the client id (the institution's console does in real life).
      registration: { enabled: true, initialAccessToken: adminToken, idFactory: (ctx) => ctx.oidc.body?.client_id || crypto.randomUUID() },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => fhirBase,
        useGrantedResource: () => true,
        getResourceServerInfo(ctx, resource) {
          if (resource !== fhirBase && resource !== OTHER_RESOURCE) {
            throw new Provider.errors.InvalidTarget();
          }
          return { scope, audience: resource, accessTokenTTL: tokenTTL, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    // SMART's `aud` parameter names the FHIR server: treat it as the resource indicator when none is given.
    extraParams: ['aud', 'launch'],
  });
  provider.proxy = false;
  // Errors on the provider's own pages go to stderr (never tokens: oidc-provider's messages name the cause).
  provider.on('server_error', (ctx, err) => process.stderr.write(`smart: server error on ${ctx.path}: ${err?.stack ?? err}\n`));
  server.on('request', provider.callback());

  // The resource server reads the provider's published keys, as a separate FHIR server would.
  const jwks = jose.createRemoteJWKSet(new URL(`${issuer}/jwks`));

  return {
    issuer,
    smartConfiguration() {
      return {
        issuer,
        jwks_uri: `${issuer}/jwks`,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        revocation_endpoint: `${issuer}/token/revocation`,
        registration_endpoint: `${issuer}/reg`,
        grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
        token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'],
        token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
        scopes_supported: ['openid', 'fhirUser', 'offline_access', 'user/*.cruds', 'system/*.cruds'],
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        capabilities: ['launch-standalone', 'client-public', 'client-confidential-asymmetric', 'sso-openid-connect',
          'context-standalone-patient', 'permission-offline', 'permission-user', 'permission-v2'],
      };
    },
    // verify checks a bearer JWT as a resource server must: signature (the provider's JWKS), issuer,
    // audience (this FHIR server), expiry; it returns the granted scopes.
    async verify(header) {
      const m = /^Bearer\s+(\S+)$/i.exec(String(header || ''));
      if (!m) throw new Error('no bearer token');
      const { payload } = await jose.jwtVerify(m[1], jwks, { issuer, audience: fhirBase, algorithms: ['RS256'], typ: 'at+jwt' });
      return { scopes: new Set(String(payload.scope || '').split(' ').filter(Boolean)), sub: payload.sub, clientId: payload.client_id };
    },
    close() {
      server.close();
      server.closeAllConnections?.();
    },
  };
}

// scopeDenied says which v2 scope is missing for a request on type with method (FHIR REST), or ''.
// Transactions are checked entry by entry through scopeDeniedBundle.
export function scopeDenied(scopes, method, type, isSearch) {
  if (!type) return '';
  let need;
  switch (method) {
    case 'GET':
      need = isSearch ? 's' : 'r';
      break;
    case 'POST':
      need = isSearch ? 's' : 'c';
      break;
    case 'PUT':
    case 'PATCH':
      need = 'u';
      break;
    case 'DELETE':
      need = 'd';
      break;
    default:
      return '';
  }
  for (const s of scopes) {
    const mm = /^(user|system|patient)\/([A-Za-z*]+)\.(.+)$/.exec(s);
    if (!mm || (mm[2] !== type && mm[2] !== '*')) continue;
    const perms = mm[3];
    if (perms === '*' || perms.includes(need)) return '';
    if (perms === 'read' && (need === 'r' || need === 's')) return '';
    if (perms === 'write' && 'cud'.includes(need)) return '';
    // A PUT that creates (Binary/{id} with a client-chosen id) is allowed with c as well.
    if (method === 'PUT' && perms.includes('c')) return '';
  }
  return `${type}.${need}`;
}

export function scopeDeniedBundle(scopes, bundle) {
  for (const e of bundle?.entry ?? []) {
    const req = e.request ?? {};
    const url = String(req.url || '');
    const type = url.split(/[/?]/)[0];
    const isSearch = req.method === 'GET' && !/^[^/?]+\/[^/?]+/.test(url);
    const missing = scopeDenied(scopes, String(req.method || '').toUpperCase(), type, isSearch);
    if (missing) return missing;
    // A conditional create (ifNoneExist) also searches.
    if (req.ifNoneExist) {
      const s = scopeDenied(scopes, 'GET', type, true);
      if (s) return s;
    }
  }
  return '';
}
