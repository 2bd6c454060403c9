// Smoke test of the FHIR test peer: node --test smoke.test.js   (or: bash smoke.sh, which also times install/start)
//
// Uses the server named by FHIR_BASE/FHIR_USER/FHIR_PASSWORD/FHIR_TOKEN/FHIR_ADMIN_TOKEN (as written to
// fhir.env by scripts/fhir-server.sh); without FHIR_BASE it starts `node server.js --port 0` itself, the way a Go
// test would, and reads the FHIR_READY line.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const crypto = require('node:crypto');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');
const readline = require('node:readline');
const { Readable } = require('node:stream');

let BASE, USER, PASSWORD, TOKEN, ADMIN;
let child;

before(async () => {
  if (process.env.FHIR_BASE) {
    ({ FHIR_BASE: BASE, FHIR_USER: USER, FHIR_PASSWORD: PASSWORD, FHIR_TOKEN: TOKEN, FHIR_ADMIN_TOKEN: ADMIN } =
      process.env);
    return;
  }
  USER = 'smoke';
  PASSWORD = crypto.randomBytes(12).toString('hex');
  TOKEN = crypto.randomBytes(16).toString('hex');
  ADMIN = crypto.randomBytes(16).toString('hex');
  child = spawn(process.execPath, [path.join(__dirname, 'server.js'), '--port', '0'], {
    env: { ...process.env, FHIR_USER: USER, FHIR_PASSWORD: PASSWORD, FHIR_TOKEN: TOKEN, FHIR_ADMIN_TOKEN: ADMIN },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  BASE = await new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error('no FHIR_READY within 60 s')), 60_000);
    rl.on('line', (line) => {
      if (line.startsWith('FHIR_READY ')) {
        clearTimeout(timer);
        resolve(line.slice('FHIR_READY '.length).trim());
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
});

after(() => {
  if (child) child.kill('SIGTERM');
});

// ---- HTTP helper ------------------------------------------------------------------------------------------------

function request(method, rel, { body, headers = {}, auth = 'basic', stream } = {}) {
  const isAdmin = rel.startsWith('/admin');
  const url = new URL(isAdmin ? BASE.replace(/\/fhir\/R4$/, '') + rel : `${BASE}/${rel.replace(/^\//, '')}`);
  const h = { ...headers };
  if (auth === 'basic') h.Authorization = 'Basic ' + Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
  if (auth === 'bearer') h.Authorization = `Bearer ${TOKEN}`;
  if (auth === 'admin') h.Authorization = `Bearer ${ADMIN}`;
  if (auth === 'wrong') h.Authorization = 'Basic ' + Buffer.from(`${USER}:nope`).toString('base64');
  let data;
  if (body !== undefined && !Buffer.isBuffer(body)) {
    data = Buffer.from(JSON.stringify(body));
    h['Content-Type'] ??= isAdmin ? 'application/json' : 'application/fhir+json';
  } else if (Buffer.isBuffer(body)) {
    data = body;
  }
  if (data) h['Content-Length'] = data.length;
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: h, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        let json;
        if (/json/.test(res.headers['content-type'] || '') && buf.length) json = JSON.parse(buf.toString('utf8'));
        resolve({ status: res.statusCode, headers: res.headers, body: buf, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (stream) {
      stream.on('error', reject);
      stream.pipe(req);
    } else {
      req.end(data);
    }
  });
}

const admin = (method, rel, body) => request(method, `/admin/${rel}`, { body, auth: 'admin' });
const sha1 = (buf) => crypto.createHash('sha1').update(buf).digest('base64');

// A stream of `total` pseudo-random bytes made from one random block (keeps memory flat for big uploads).
function byteStream(total, seed) {
  const block = crypto.createHash('sha512').update(String(seed)).digest();
  const chunk = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < chunk.length; i += block.length) block.copy(chunk, i);
  let sent = 0;
  const hash = crypto.createHash('sha1');
  const s = new Readable({
    read() {
      if (sent >= total) {
        s.sha1 = hash.digest('base64');
        return this.push(null);
      }
      const n = Math.min(chunk.length, total - sent);
      const part = chunk.subarray(0, n);
      part.writeUInt32BE(sent / chunk.length, 0); // make each chunk differ
      hash.update(part);
      sent += n;
      this.push(Buffer.from(part));
    },
  });
  return s;
}

// ---- The submission bundle (GUIDE.md §6) --------------------------------------------------------------------

const SYS = 'urn:referraldesk:test';
function submission(ids) {
  const u = () => `urn:uuid:${crypto.randomUUID()}`;
  const full = {
    patient: u(),
    practitioner: u(),
    role: u(),
    sr: u(),
    coverage: u(),
    qr: u(),
    task: u(),
    doc: u(),
  };
  const entry = (fullUrl, resource, ifNoneExist) => ({
    fullUrl,
    resource,
    request: { method: 'POST', url: resource.resourceType, ifNoneExist },
  });
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      entry(
        full.patient,
        {
          resourceType: 'Patient',
          identifier: [{ system: `${SYS}:patient`, value: ids.patient }],
          name: [{ family: 'Doe', given: ['Jane'] }],
          birthDate: '1980-02-29',
          telecom: [{ system: 'phone', value: '+1 507 555 0100' }],
          address: [{ line: ['1 Main St'], city: 'Rochester', state: 'MN', postalCode: '55901' }],
        },
        `identifier=${SYS}:patient|${ids.patient}`
      ),
      entry(
        full.practitioner,
        {
          resourceType: 'Practitioner',
          identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: ids.npi }],
          name: [{ family: 'Smith', given: ['John'], prefix: ['Dr.'] }],
        },
        `identifier=http://hl7.org/fhir/sid/us-npi|${ids.npi}`
      ),
      entry(
        full.role,
        {
          resourceType: 'PractitionerRole',
          identifier: [{ system: `${SYS}:role`, value: ids.role }],
          practitioner: { reference: full.practitioner },
          organization: { display: 'Clinic' },
        },
        `identifier=${SYS}:role|${ids.role}`
      ),
      entry(
        full.sr,
        {
          resourceType: 'ServiceRequest',
          identifier: [{ system: `${SYS}:placer`, value: ids.sr }],
          status: 'active',
          intent: 'order',
          priority: 'urgent',
          subject: { reference: full.patient },
          requester: { reference: full.role },
          performer: [{ display: 'Cardiology' }],
          locationReference: [{ display: 'Rochester, MN' }],
          reasonCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I48.91', display: 'AF' }] }],
          note: [{ text: 'Please see soon.' }],
          insurance: [{ reference: full.coverage }],
          supportingInfo: [{ reference: full.qr }, { reference: full.doc }],
          authoredOn: '2026-01-05T10:00:00Z',
        },
        `identifier=${SYS}:placer|${ids.sr}`
      ),
      entry(
        full.coverage,
        {
          resourceType: 'Coverage',
          identifier: [{ system: `${SYS}:coverage`, value: ids.coverage }],
          status: 'active',
          type: { text: 'HMO' },
          beneficiary: { reference: full.patient },
          payor: [{ display: 'Acme HMO' }],
        },
        `identifier=${SYS}:coverage|${ids.coverage}`
      ),
      entry(
        full.qr,
        {
          resourceType: 'QuestionnaireResponse',
          identifier: { system: `${SYS}:qr`, value: ids.qr },
          status: 'completed',
          subject: { reference: full.patient },
          basedOn: [{ reference: full.sr }],
          item: [{ linkId: 'nature', text: 'Nature of the issue', answer: [{ valueString: 'palpitations' }] }],
        },
        `identifier=${SYS}:qr|${ids.qr}`
      ),
      entry(
        full.task,
        {
          resourceType: 'Task',
          identifier: [{ system: `${SYS}:task`, value: ids.task }],
          status: 'requested',
          intent: 'order',
          basedOn: [{ reference: full.sr }],
          focus: { reference: full.sr },
          for: { reference: full.patient },
          requester: { reference: full.role },
          authoredOn: '2026-01-05T10:00:00Z',
        },
        `identifier=${SYS}:task|${ids.task}`
      ),
      entry(
        full.doc,
        {
          resourceType: 'DocumentReference',
          identifier: [{ system: `${SYS}:doc`, value: ids.doc }],
          status: 'current',
          type: { text: 'Records packet' },
          subject: { reference: full.patient },
          description: 'Doe, Jane 1980-02-29',
          content: [
            {
              attachment: {
                contentType: 'application/pdf',
                url: `Binary/${ids.binary}`,
                size: ids.binarySize,
                hash: ids.binaryHash,
                title: 'Doe, Jane 1980-02-29.pdf',
              },
            },
          ],
        },
        `identifier=${SYS}:doc|${ids.doc}`
      ),
    ],
  };
}

// ---- Tests ------------------------------------------------------------------------------------------------------

const state = {};

test('metadata answers without auth', async () => {
  const r = await request('GET', 'metadata', { auth: 'none' });
  assert.equal(r.status, 200);
  assert.equal(r.json.resourceType, 'CapabilityStatement');
  assert.equal(r.json.fhirVersion, '4.0.1');
  assert.match(r.headers['content-type'], /application\/fhir\+json/);
});

test('auth: 401 without or with wrong credentials; Basic and Bearer accepted', async () => {
  for (const auth of ['none', 'wrong']) {
    const r = await request('GET', 'Patient?_count=1', { auth });
    assert.equal(r.status, 401);
    assert.match(String(r.headers['www-authenticate']), /Basic/);
    assert.equal(r.json.resourceType, 'OperationOutcome');
  }
  assert.equal((await request('GET', 'Patient?_count=1', { auth: 'basic' })).status, 200);
  assert.equal((await request('GET', 'Patient?_count=1', { auth: 'bearer' })).status, 200);
  const adminWithFhirToken = await request('GET', '/admin/counts', { auth: 'bearer' });
  assert.equal(adminWithFhirToken.status, 401);
});

test('transaction with conditional creates is idempotent', async (t) => {
  const pdf = Buffer.from('%PDF-1.4\n% packet\n');
  const bin = await request('POST', 'Binary', { body: pdf, headers: { 'Content-Type': 'application/pdf' } });
  assert.equal(bin.status, 201);
  assert.match(bin.headers.location, /\/Binary\/[^/]+\/_history\//);
  const ids = {
    patient: 'MRN-1',
    npi: '1234567893',
    role: crypto.randomUUID(),
    sr: crypto.randomUUID(),
    coverage: crypto.randomUUID(),
    qr: crypto.randomUUID(),
    task: crypto.randomUUID(),
    doc: crypto.randomUUID(),
    binary: bin.json.id,
    binarySize: pdf.length,
    binaryHash: sha1(pdf),
  };
  const bundle = submission(ids);
  const t0 = Date.now();
  const first = await request('POST', '', { body: bundle });
  t.diagnostic(`transaction (8 entries) ${Date.now() - t0} ms`);
  assert.equal(first.status, 200, JSON.stringify(first.json));
  assert.equal(first.json.type, 'transaction-response');
  assert.deepEqual(
    first.json.entry.map((e) => e.response.status),
    Array(8).fill('201')
  );
  const second = await request('POST', '', { body: bundle });
  assert.equal(second.status, 200, JSON.stringify(second.json));
  assert.deepEqual(
    second.json.entry.map((e) => e.response.status),
    Array(8).fill('200')
  );
  assert.deepEqual(
    second.json.entry.map((e) => e.response.location),
    first.json.entry.map((e) => e.response.location)
  );
  // references were rewritten to the real ids
  const sr = first.json.entry[3].resource;
  assert.equal(sr.subject.reference, first.json.entry[0].response.location);
  // a fresh bundle (new urn:uuids, same identifiers) also resolves to the same resources
  const third = await request('POST', '', { body: submission(ids) });
  assert.deepEqual(
    third.json.entry.map((e) => e.response.location),
    first.json.entry.map((e) => e.response.location)
  );
  const c = (await admin('GET', 'counts')).json;
  for (const type of ['Patient', 'Practitioner', 'PractitionerRole', 'ServiceRequest', 'Coverage', 'QuestionnaireResponse', 'Task', 'DocumentReference', 'Binary']) {
    assert.equal(c.resources[type], 1, `${type}: ${JSON.stringify(c.resources)}`);
  }
  assert.deepEqual(c.duplicateIdentifiers, []);
  assert.deepEqual(c.binaries.orphans, []);
  assert.equal(c.identifiers.ServiceRequest[`${SYS}:placer|${ids.sr}`], 1);

  state.sr = first.json.entry[3].response.location; // ServiceRequest/ID
  state.task = first.json.entry[6].response.location;
  state.ids = ids;

  // searches the client will use
  const s1 = await request('GET', `ServiceRequest?identifier=${encodeURIComponent(`${SYS}:placer|${ids.sr}`)}`);
  assert.equal(s1.json.total, 1);
  assert.ok(s1.json.entry[0].fullUrl.endsWith(state.sr));
  const s2 = await request('GET', `Task?based-on=${state.sr}`);
  assert.equal(s2.json.entry.length, 1);
  const s3 = await request('GET', `DocumentReference?identifier=${encodeURIComponent(`${SYS}:doc|${ids.doc}`)}`);
  assert.equal(s3.json.entry[0].resource.content[0].attachment.url, `Binary/${ids.binary}`);
  const s4 = await request('GET', 'Patient?name=Doe&birthdate=1980-02-29');
  assert.equal(s4.json.entry.length, 1);
  const s5 = await request('GET', 'Patient?_summary=count');
  assert.equal(s5.json.total, 1);
});

test('more than 8 entries with a conditional create is refused (Medplum limit), whole bundle', async () => {
  const entries = [];
  for (let i = 0; i < 9; i++) {
    entries.push({
      fullUrl: `urn:uuid:${crypto.randomUUID()}`,
      resource: { resourceType: 'Basic', code: { text: 'x' }, identifier: [{ system: SYS, value: `b${i}` }] },
      request: { method: 'POST', url: 'Basic', ifNoneExist: `identifier=${SYS}|b${i}` },
    });
  }
  const r = await request('POST', '', { body: { resourceType: 'Bundle', type: 'transaction', entry: entries } });
  assert.equal(r.status, 400);
  assert.match(JSON.stringify(r.json), /too many entries/);
});

test('invalid resources give 400 OperationOutcome; failed transactions roll back', async () => {
  const bad = await request('POST', 'Patient', { body: { resourceType: 'Patient', birthDate: '1980-13-45' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.resourceType, 'OperationOutcome');
  assert.match(JSON.stringify(bad.json), /birthDate/);
  const unknown = await request('POST', 'Patient', { body: { resourceType: 'Patient', foo: 1 } });
  assert.equal(unknown.status, 400);

  const before = (await admin('GET', 'counts')).json.total;
  const tx = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { resource: { resourceType: 'Patient', name: [{ family: 'Rollback' }] }, request: { method: 'POST', url: 'Patient' } },
      { resource: { resourceType: 'Task', intent: 'order' }, request: { method: 'POST', url: 'Task' } }, // no status
    ],
  };
  const r = await request('POST', '', { body: tx });
  assert.equal(r.status, 400);
  assert.equal(r.json.resourceType, 'OperationOutcome');
  assert.match(JSON.stringify(r.json), /Task\.status/);
  assert.equal((await admin('GET', 'counts')).json.total, before, 'transaction was rolled back');
});

test('update, stale If-Match 412, history stable', async () => {
  const p = (await request('POST', 'Patient', { body: { resourceType: 'Patient', name: [{ family: 'Hist' }] } })).json;
  const v1 = p.meta.versionId;
  p.name[0].given = ['A'];
  const u = await request('PUT', `Patient/${p.id}`, { body: p, headers: { 'If-Match': `W/"${v1}"` } });
  assert.equal(u.status, 200);
  const stale = await request('PUT', `Patient/${p.id}`, { body: p, headers: { 'If-Match': `W/"${v1}"` } });
  assert.equal(stale.status, 412);
  const h1 = (await request('GET', `Patient/${p.id}/_history`)).json.entry.map((e) => e.resource.meta.versionId);
  const h2 = (await request('GET', `Patient/${p.id}/_history`)).json.entry.map((e) => e.resource.meta.versionId);
  assert.deepEqual(h1, h2);
  assert.equal(h1[1], v1);
  await request('DELETE', `Patient/${p.id}`);
  const withId = await request('POST', 'Patient', { body: { resourceType: 'Patient', id: 'chosen' } });
  assert.equal(withId.status, 201);
  assert.notEqual(withId.json.id, 'chosen', 'create ignores a client id');
  await request('DELETE', `Patient/${withId.json.id}`);
  assert.equal((await request('GET', 'Foo')).status, 404);
});

test('Binary: 50 MB round trip, 150 MB streamed, PUT with client id is idempotent', async (t) => {
  const big = crypto.randomBytes(50 * 1024 * 1024);
  let t0 = Date.now();
  const up = await request('POST', 'Binary', {
    body: big,
    headers: { 'Content-Type': 'application/octet-stream', Prefer: 'return=minimal' },
  });
  const upMs = Date.now() - t0;
  assert.equal(up.status, 201);
  assert.equal(up.body.length, 0);
  const id = up.headers.location.match(/Binary\/([^/]+)\//)[1];
  t0 = Date.now();
  const down = await request('GET', `Binary/${id}`);
  const downMs = Date.now() - t0;
  assert.equal(down.status, 200);
  assert.equal(down.headers['content-type'], 'application/octet-stream');
  assert.equal(down.body.length, big.length);
  assert.equal(sha1(down.body), sha1(big));
  const info = (await admin('GET', `binary/${id}`)).json;
  assert.equal(info.size, big.length);
  assert.equal(info.sha1, sha1(big));
  t.diagnostic(`50 MB upload ${upMs} ms, download ${downMs} ms`);

  const total = 150 * 1024 * 1024;
  const s = byteStream(total, 'x');
  t0 = Date.now();
  const up2 = await request('POST', 'Binary', {
    stream: s,
    headers: { 'Content-Type': 'video/mpeg', 'Content-Length': total, Prefer: 'return=minimal' },
  });
  t.diagnostic(`150 MB streamed upload ${Date.now() - t0} ms`);
  assert.equal(up2.status, 201);
  const id2 = up2.headers.location.match(/Binary\/([^/]+)\//)[1];
  const info2 = (await admin('GET', `binary/${id2}`)).json;
  assert.equal(info2.size, total);
  assert.equal(info2.sha1, s.sha1);
  assert.equal(info2.contentType, 'video/mpeg');

  // JSON form of a small Binary
  const j = await request('GET', `Binary/${state.ids.binary}`, { headers: { Accept: 'application/fhir+json' } });
  assert.equal(j.json.resourceType, 'Binary');
  assert.equal(Buffer.from(j.json.data, 'base64').toString(), '%PDF-1.4\n% packet\n');

  const before = (await admin('GET', 'counts')).json.resources.Binary;
  const cid = crypto.randomUUID();
  const p1 = await request('PUT', `Binary/${cid}`, { body: Buffer.from('one'), headers: { 'Content-Type': 'text/plain' } });
  const p2 = await request('PUT', `Binary/${cid}`, { body: Buffer.from('one'), headers: { 'Content-Type': 'text/plain' } });
  assert.equal(p1.status, 201);
  assert.equal(p2.status, 200);
  assert.equal(p1.json.id, cid);
  assert.equal((await admin('GET', 'counts')).json.resources.Binary, before + 1);
  assert.equal((await request('GET', `Binary/${cid}`)).body.toString(), 'one');
  await request('DELETE', `Binary/${cid}`);
  await request('DELETE', `Binary/${id}`);
  await request('DELETE', `Binary/${id2}`);
});

test('admin: task status, appointment, communication, reports', async () => {
  const taskId = state.task.split('/')[1];
  const a = await admin('POST', `task/${taskId}/status`, { status: 'rejected', reason: 'Not covered' });
  assert.equal(a.status, 200, JSON.stringify(a.json));
  const task = (await request('GET', state.task)).json;
  assert.equal(task.status, 'rejected');
  assert.equal(task.statusReason.text, 'Not covered');
  assert.equal((await admin('POST', `task/${taskId}/status`, { status: 'accepted' })).json.statusReason, undefined);
  assert.equal((await admin('POST', `task/${taskId}/status`, { status: 'bogus' })).status, 400);
  assert.equal((await admin('POST', 'task/nope/status', { status: 'accepted' })).status, 404);
  const byPlacer = `ServiceRequest?identifier=${SYS}:placer|${state.ids.sr}`;
  const ip = await admin('POST', 'task/_/status', { serviceRequest: byPlacer, status: 'in-progress' });
  assert.equal(ip.status, 200, JSON.stringify(ip.json));
  assert.equal(ip.json.id, taskId);

  const ap = await admin('POST', 'appointment', {
    serviceRequest: state.sr,
    start: '2026-02-02T09:00:00-06:00',
    end: '2026-02-02T09:30:00-06:00',
    location: 'Mayo Clinic, Rochester — Gonda 5',
  });
  assert.equal(ap.status, 201, JSON.stringify(ap.json));
  const aps = (await request('GET', `Appointment?based-on=${state.sr}`)).json;
  assert.equal(aps.entry.length, 1);
  assert.equal(aps.entry[0].resource.start, '2026-02-02T09:00:00-06:00');
  assert.equal((await admin('POST', 'appointment', { serviceRequest: state.sr, start: '2026-02-02', end: 'x' })).status, 400);

  const cm = await admin('POST', 'communication', { serviceRequest: byPlacer, text: 'Please send the MRI.', sent: '2026-01-06T08:00:00Z' });
  assert.equal(cm.status, 201, JSON.stringify(cm.json));
  const cms = (await request('GET', `Communication?based-on=${state.sr}`)).json;
  assert.equal(cms.entry[0].resource.payload[0].contentString, 'Please send the MRI.');

  const rad = await admin('POST', 'report', { serviceRequest: state.sr, kind: 'radiology', title: 'MRI brain', text: 'No acute findings.' });
  assert.equal(rad.status, 201, JSON.stringify(rad.json));
  const path1 = await admin('POST', 'report', {
    serviceRequest: state.sr,
    kind: 'pathology',
    title: 'Biopsy',
    text: 'Benign tissue.\nSecond line (with parens) and a \\ backslash.',
    contentType: 'application/pdf',
  });
  assert.equal(path1.status, 201, JSON.stringify(path1.json));
  const drs = (await request('GET', `DiagnosticReport?based-on=${state.sr}`)).json;
  assert.equal(drs.entry.length, 2);
  const radDr = drs.entry.find((e) => e.resource.code.text === 'MRI brain').resource;
  assert.equal(Buffer.from(radDr.presentedForm[0].data, 'base64').toString(), 'No acute findings.');
  const pdfDr = drs.entry.find((e) => e.resource.code.text === 'Biopsy').resource;
  const pdf = Buffer.from(pdfDr.presentedForm[0].data, 'base64');
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.equal(pdfDr.presentedForm[0].size, pdf.length);
  try {
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString();
    assert.match(text, /Benign tissue/);
  } catch (err) {
    if (err.code !== 'ENOENT') throw err; // pdftotext not installed: skip the text check
  }

  const note = await admin('POST', 'report', { serviceRequest: state.sr, kind: 'note', title: 'Visit summary', text: 'Seen.', asBinary: true });
  assert.equal(note.status, 201, JSON.stringify(note.json));
  const docs = (await request('GET', `DocumentReference?related=${state.sr}`)).json;
  assert.equal(docs.entry.length, 1);
  const url = docs.entry[0].resource.content[0].attachment.url;
  assert.match(url, /^Binary\//);
  const bytes = await request('GET', url);
  assert.equal(bytes.body.toString(), 'Seen.');
  assert.match(bytes.headers['content-type'], /^text\/plain/);

  const c = (await admin('GET', 'counts')).json;
  assert.equal(c.resources.Appointment, 1);
  assert.equal(c.resources.Communication, 1);
  assert.equal(c.resources.DiagnosticReport, 2);
  assert.equal(c.resources.DocumentReference, 2);
  assert.equal((await admin('POST', 'report', { serviceRequest: 'ServiceRequest/none', kind: 'note' })).status, 404);
});

test('faults: 500, 429, 401, down, cut, lost, time-limited, filters', async () => {
  const get = () => request('GET', 'Patient?_count=1');
  const sockErr = (p) =>
    p.then(
      (r) => assert.fail(`expected a connection error, got ${r.status}`),
      (err) => assert.match(err.code ?? err.message, /ECONNRESET|EPIPE|socket hang up/)
    );

  let f = await admin('POST', 'fault', { mode: '500', count: 2 });
  assert.equal(f.json.remaining, 2);
  assert.equal((await request('GET', 'metadata', { auth: 'none' })).status, 200, '/metadata exempt');
  assert.equal((await admin('GET', 'counts')).status, 200, '/admin exempt');
  assert.equal((await get()).status, 500);
  assert.equal((await get()).status, 500);
  assert.equal((await get()).status, 200);

  await admin('POST', 'fault', { mode: '429', count: 1, retryAfter: 7 });
  const r429 = await get();
  assert.equal(r429.status, 429);
  assert.equal(r429.headers['retry-after'], '7');
  assert.equal((await get()).status, 200);

  await admin('POST', 'fault', { mode: '401', count: 1 });
  const r401 = await get();
  assert.equal(r401.status, 401);
  assert.ok(r401.headers['www-authenticate']);
  assert.equal((await get()).status, 200);

  await admin('POST', 'fault', { mode: 'down', count: 2 });
  await sockErr(get());
  await sockErr(request('POST', 'Binary', { body: Buffer.alloc(10), headers: { 'Content-Type': 'text/plain' } }));
  assert.equal((await get()).status, 200);

  // cut: only POST Binary is affected; the upload dies after ~1 MB and nothing is stored
  const binBefore = (await admin('GET', 'counts')).json.resources.Binary ?? 0;
  await admin('POST', 'fault', { mode: 'cut', count: 1, afterBytes: 1024 * 1024, method: 'POST', path: 'Binary' });
  assert.equal((await get()).status, 200, 'GET not matched by the filter');
  await sockErr(
    request('POST', 'Binary', {
      stream: byteStream(8 * 1024 * 1024, 'cut'),
      headers: { 'Content-Type': 'application/pdf', 'Content-Length': 8 * 1024 * 1024 },
    })
  );
  assert.equal((await admin('GET', 'counts')).json.resources.Binary ?? 0, binBefore);
  const after = await request('POST', 'Binary', { body: Buffer.alloc(1000), headers: { 'Content-Type': 'application/pdf' } });
  assert.equal(after.status, 201);
  await request('DELETE', `Binary/${after.json.id}`);

  // lost: the request is carried out, the response never arrives
  await admin('POST', 'fault', { mode: 'lost', count: 1 });
  const ident = crypto.randomUUID();
  await sockErr(request('POST', 'Patient', { body: { resourceType: 'Patient', identifier: [{ system: SYS, value: ident }] } }));
  const found = await request('GET', `Patient?identifier=${SYS}|${ident}`);
  assert.equal(found.json.entry.length, 1);

  // time-limited, with /metadata included
  await admin('POST', 'fault', { mode: 'down', seconds: 1, metadata: true });
  await sockErr(request('GET', 'metadata', { auth: 'none' }));
  await sockErr(get());
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal((await get()).status, 200);
  f = await admin('GET', 'fault');
  assert.equal(f.json.mode, 'none');

  // until cleared
  await admin('POST', 'fault', { mode: '500' });
  assert.equal((await get()).status, 500);
  assert.equal((await get()).status, 500);
  await admin('POST', 'fault', { mode: 'none' });
  assert.equal((await get()).status, 200);

  const log = (await admin('GET', 'log')).json;
  assert.ok(log.some((e) => e.fault === 'cut' && e.status === 0));
  assert.equal((await admin('POST', 'fault', { mode: 'explode' })).status, 400);
});

test('reset clears everything', async () => {
  assert.equal((await admin('POST', 'reset')).status, 200);
  const c = (await admin('GET', 'counts')).json;
  assert.equal(c.total, 0);
  assert.equal((await request('GET', state.sr)).status, 404);
});
