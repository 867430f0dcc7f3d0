'use strict';
// The clouds' official Node.js SDKs against the mocks, configured as a controller in PACT_MODE
// configures them (docs/controller-pact-mode.md). Prints one "PASS|FAIL <cloud> <check> <detail>"
// line per check and exits 1 when any check failed.
//
// Usage: NODE_EXTRA_CA_CERTS=ca.crt node sdk-e2e.js --aws URL --gcp URL --azure URL [--only aws,gcp,azure] [--record]
//   --azure    https://host:port of the Azure mock's TLS port (http:// only with --record); Node
//              trusts the mocks' CA through NODE_EXTRA_CA_CERTS, as a controller would
//   --record   run every operation once and ignore the outcome: the mock's journal then holds what
//              each SDK sends (tools/pact-record turns it into interaction skeletons)
const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--record') args.record = true;
  else if (a.startsWith('--')) args[a.slice(2)] = process.argv[++i];
}
const only = new Set((args.only || 'aws,gcp,azure').split(','));
const record = Boolean(args.record);

const SECRET = 'test-secret';
const VALUE = 's3cr3t-value';
const VALUE_V2 = 's3cr3t-value-v2';
let failures = 0;

function report(cloud, check, ok, detail) {
  if (!ok) failures++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${cloud} ${check}${detail ? ' ' + String(detail).replace(/\s+/g, ' ') : ''}`);
}

// Runs one check: `fn` returns a detail string or throws. In record mode only the requests matter.
async function check(cloud, name, fn) {
  const started = Date.now();
  try {
    const detail = await fn();
    report(cloud, name, true, `${detail || ''} (${Date.now() - started} ms)`);
  } catch (e) {
    if (record) report(cloud, name, true, `recorded (${e.name || e.code}: ${e.message})`.slice(0, 300));
    else report(cloud, name, false, `${e.name || ''} ${e.code || ''} ${e.message || e}`.slice(0, 600));
  }
}

// Expects `promise` to reject; `classify(err)` returns a detail or throws when the error is not the expected one.
async function expectError(promise, classify) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  if (!err) throw new Error('expected an error but the call succeeded');
  return classify(err);
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

// Fault headers (docs/mockserver.md) added to the next requests by each SDK's request hook.
// Retry-After 0 keeps the retry loops fast; the SDKs still classify and retry.
let faultHeaders = {};
async function withFault(headers, fn) {
  faultHeaders = headers;
  try {
    return await fn();
  } finally {
    faultHeaders = {};
  }
}
const RATE_LIMIT = { 'X-Rate-Limit': 'true', 'X-Rate-Limit-Retry-After': '0' };
const UNAVAILABLE = { 'X-Service-Unavailable': 'true' };

async function aws(endpoint) {
  const sm = require('@aws-sdk/client-secrets-manager');
  const client = new sm.SecretsManagerClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAPACTMOCKS000000', secretAccessKey: 'pact-mode-secret-key' },
  });
  client.middlewareStack.add(
    (next) => async (a) => {
      for (const [k, v] of Object.entries(faultHeaders)) a.request.headers[k.toLowerCase()] = v;
      return next(a);
    },
    { step: 'finalizeRequest', name: 'pactFaultHeaders' }
  );
  const send = (Command, input) => client.send(new Command(input));

  await check('aws', 'CreateSecret', async () => {
    const out = await send(sm.CreateSecretCommand, { Name: SECRET, SecretString: VALUE });
    assert(out.Name === SECRET && out.ARN && out.VersionId, `unexpected ${JSON.stringify(out)}`);
    return out.ARN;
  });
  await check('aws', 'GetSecretValue', async () => {
    const out = await send(sm.GetSecretValueCommand, { SecretId: SECRET });
    assert(out.SecretString === VALUE, `SecretString ${out.SecretString}`);
    assert(out.CreatedDate instanceof Date && !isNaN(out.CreatedDate), 'CreatedDate is not a date');
    return `SecretString=${out.SecretString}`;
  });
  await check('aws', 'PutSecretValue', async () => {
    const out = await send(sm.PutSecretValueCommand, { SecretId: SECRET, SecretString: VALUE_V2 });
    assert(out.VersionId && out.VersionStages.includes('AWSCURRENT'), `unexpected ${JSON.stringify(out)}`);
    return out.VersionId;
  });
  await check('aws', 'DescribeSecret', async () => {
    const out = await send(sm.DescribeSecretCommand, { SecretId: SECRET });
    assert(out.Name === SECRET, `Name ${out.Name}`);
    assert(out.LastChangedDate instanceof Date && !isNaN(out.LastChangedDate), 'LastChangedDate is not a date');
    return `LastChangedDate=${out.LastChangedDate.toISOString()}`;
  });
  await check('aws', 'DeleteSecret', async () => {
    const out = await send(sm.DeleteSecretCommand, { SecretId: SECRET, RecoveryWindowInDays: 7 });
    assert(out.DeletionDate instanceof Date && !isNaN(out.DeletionDate), 'DeletionDate is not a date');
    return `DeletionDate=${out.DeletionDate.toISOString()}`;
  });
  if (record) return;
  await check('aws', 'not-found', () =>
    expectError(send(sm.GetSecretValueCommand, { SecretId: 'missing' }), (e) => {
      assert(e.name === 'ResourceNotFoundException', `error ${e.name}`);
      assert(e instanceof sm.ResourceNotFoundException, 'not the modelled exception class');
      return e.name;
    })
  );
  await check('aws', 'throttling-retried', () =>
    withFault(RATE_LIMIT, () =>
      expectError(send(sm.GetSecretValueCommand, { SecretId: SECRET }), (e) => {
        assert(e.name === 'ThrottlingException', `error ${e.name}`);
        assert(e.$metadata.attempts > 1, `attempts ${e.$metadata.attempts}`);
        return `${e.name} after ${e.$metadata.attempts} attempts`;
      })
    )
  );
  await check('aws', 'unavailable-retried', () =>
    withFault(UNAVAILABLE, () =>
      expectError(send(sm.GetSecretValueCommand, { SecretId: SECRET }), (e) => {
        assert(e.$metadata.httpStatusCode === 503 && e.$fault === 'server', `status ${e.$metadata.httpStatusCode}`);
        assert(e.$metadata.attempts > 1, `attempts ${e.$metadata.attempts}`);
        return `${e.name} after ${e.$metadata.attempts} attempts`;
      })
    )
  );
  await check('aws', 'no-match-reason', () =>
    expectError(send(sm.GetSecretValueCommand, { SecretId: SECRET, VersionStage: 'AWSPENDING' }), (e) => {
      assert(e.name === 'PactRequestMismatch', `error ${e.name}`);
      assert(/No matching interaction found.*VersionStage/.test(e.message), `message ${e.message}`);
      return e.message.slice(0, 160);
    })
  );
}

async function gcp(endpoint) {
  const { SecretManagerServiceClient } = require('@google-cloud/secret-manager');
  const { OAuth2Client } = require('google-auth-library');
  const url = new URL(endpoint);
  // A static token: no metadata server, no OAuth exchange.
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: 'pact-mode-token', expiry_date: Date.now() + 24 * 3600 * 1000 });
  const client = new SecretManagerServiceClient({
    apiEndpoint: url.hostname,
    port: Number(url.port),
    protocol: url.protocol.replace(':', ''),
    fallback: true, // REST transport
    authClient,
  });
  const parent = 'projects/test-project';
  const name = `${parent}/secrets/${SECRET}`;
  const faulty = () => ({ otherArgs: { headers: { ...faultHeaders } } });

  await check('gcp', 'createSecret', async () => {
    const [s] = await client.createSecret({ parent, secretId: SECRET, secret: { replication: { automatic: {} } } });
    assert(s.name.endsWith(`/secrets/${SECRET}`), `name ${s.name}`);
    assert(s.createTime && Number(s.createTime.seconds) > 0, `createTime ${JSON.stringify(s.createTime)}`);
    return s.name;
  });
  await check('gcp', 'addSecretVersion', async () => {
    const [v] = await client.addSecretVersion({ parent: name, payload: { data: Buffer.from(VALUE) } });
    assert(/\/versions\/\d+$/.test(v.name), `name ${v.name}`);
    return v.name;
  });
  await check('gcp', 'accessSecretVersion-latest', async () => {
    const [r] = await client.accessSecretVersion({ name: `${name}/versions/latest` });
    const text = Buffer.from(r.payload.data).toString();
    assert(text === VALUE, `payload ${text}`);
    return `payload=${text}`;
  });
  await check('gcp', 'accessSecretVersion-1', async () => {
    const [r] = await client.accessSecretVersion({ name: `${name}/versions/1` });
    const text = Buffer.from(r.payload.data).toString();
    assert(text === VALUE, `payload ${text}`);
    return `payload=${text}`;
  });
  await check('gcp', 'getSecret', async () => {
    const [s] = await client.getSecret({ name });
    assert(s.name.endsWith(`/secrets/${SECRET}`), `name ${s.name}`);
    return s.name;
  });
  await check('gcp', 'deleteSecret', async () => {
    await client.deleteSecret({ name });
    return 'deleted';
  });
  if (record) return;
  await check('gcp', 'not-found', () =>
    expectError(client.accessSecretVersion({ name: `${parent}/secrets/missing/versions/latest` }), (e) => {
      assert(e.code === 5, `code ${e.code}`);
      assert(/NOT_FOUND|not found/i.test(e.message) || e.reason === 'NOT_FOUND', `message ${e.message}`);
      return `code ${e.code} ${e.message.slice(0, 80)}`;
    })
  );
  // getSecret is not retried by the client's defaults, so the code shows at once.
  await check('gcp', 'rate-limit-code-8', () =>
    withFault(RATE_LIMIT, () =>
      expectError(client.getSecret({ name }, faulty()), (e) => {
        assert(e.code === 8, `code ${e.code}`);
        return `code ${e.code}`;
      })
    )
  );
  await check('gcp', 'unavailable-code-14', () =>
    withFault(UNAVAILABLE, () =>
      expectError(client.getSecret({ name }, faulty()), (e) => {
        assert(e.code === 14, `code ${e.code}`);
        return `code ${e.code}`;
      })
    )
  );
  await check('gcp', 'no-match-reason', () =>
    expectError(client.getSecret({ name: `${parent}/secrets/unknown-secret` }), (e) => {
      assert(e.code === 13, `code ${e.code}`);
      assert(/No matching interaction found/.test(e.message), `message ${e.message}`);
      return e.message.slice(0, 160);
    })
  );
  await client.close();
}

async function azure(vaultUrl) {
  const { SecretClient } = require('@azure/keyvault-secrets');
  // A static token; the SDK still asks for it through the challenge it expects from Key Vault.
  const credential = {
    getToken: async () => ({ token: 'pact-mode-token', expiresOnTimestamp: Date.now() + 3600 * 1000 }),
  };
  const options = {
    // Key Vault's challenge names resource https://vault.azure.net, which is not the mock's host.
    disableChallengeResourceVerification: true,
    additionalPolicies: [
      {
        position: 'perRetry',
        policy: {
          name: 'pactFaultHeaders',
          sendRequest: (request, next) => {
            for (const [k, v] of Object.entries(faultHeaders)) request.headers.set(k, v);
            return next(request);
          },
        },
      },
    ],
  };
  if (vaultUrl.startsWith('http:')) {
    if (!record) throw new Error('the Azure SDK is checked over https (the mock\'s TLS_PORT)');
    options.allowInsecureConnection = true; // recording only
  }
  const client = new SecretClient(vaultUrl, credential, options);
  let version;

  await check('azure', 'setSecret', async () => {
    const s = await client.setSecret(SECRET, VALUE);
    assert(s.value === VALUE, `value ${s.value}`);
    assert(s.properties.createdOn instanceof Date && !isNaN(s.properties.createdOn), 'createdOn is not a date');
    version = s.properties.version;
    return `version=${version}`;
  });
  await check('azure', 'getSecret-latest', async () => {
    const s = await client.getSecret(SECRET);
    assert(s.value === VALUE, `value ${s.value}`);
    version = version || s.properties.version;
    return `value=${s.value}`;
  });
  await check('azure', 'getSecret-version', async () => {
    const s = await client.getSecret(SECRET, { version: version || 'af165e8bc9ae4280b7fda94e9bd77cce' });
    assert(s.value === VALUE, `value ${s.value}`);
    return `version=${s.properties.version}`;
  });
  await check('azure', 'beginDeleteSecret', async () => {
    const poller = await client.beginDeleteSecret(SECRET, { intervalInMs: 10 });
    const deleted = poller.getResult() || (await poller.pollUntilDone());
    assert(deleted.name === SECRET, `name ${deleted.name}`);
    return `recoveryId=${deleted.recoveryId}`;
  });
  if (record) return;
  await check('azure', 'not-found', () =>
    expectError(client.getSecret('missing'), (e) => {
      assert(e.name === 'RestError', `error ${e.name}`);
      assert(e.statusCode === 404 && e.code === 'SecretNotFound', `status ${e.statusCode} code ${e.code}`);
      return `${e.name} ${e.statusCode} ${e.code}`;
    })
  );
  await check('azure', 'rate-limit-429', () =>
    withFault(RATE_LIMIT, () =>
      expectError(client.getSecret(SECRET), (e) => {
        assert(e.statusCode === 429 && e.code === 'Throttled', `status ${e.statusCode} code ${e.code}`);
        return `${e.statusCode} ${e.code}`;
      })
    )
  );
  await check('azure', 'unavailable-503', () =>
    withFault(UNAVAILABLE, () =>
      expectError(client.getSecret(SECRET), (e) => {
        assert(e.statusCode === 503 && e.code === 'ServiceUnavailable', `status ${e.statusCode} code ${e.code}`);
        return `${e.statusCode} ${e.code}`;
      })
    )
  );
  await check('azure', 'no-match-reason', () =>
    expectError(client.getSecret('unknown-secret'), (e) => {
      assert(e.code === 'PactRequestMismatch', `code ${e.code}`);
      assert(/No matching interaction found/.test(e.message), `message ${e.message}`);
      return e.message.slice(0, 160);
    })
  );
}

async function main() {
  if (only.has('aws')) await aws(args.aws);
  if (only.has('gcp')) await gcp(args.gcp);
  if (only.has('azure')) await azure(args.azure);
  console.log(`SUMMARY failures=${failures}`);
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
