// `pnpm accounts:new-signing-key [--sign-from <ISO time>]`: prints a new private
// Ed25519 JWK for ACCOUNTS_SIGNING_JWKS. Append it to the set with a signFrom
// at least 15 minutes after the deploy, so it is published before it signs.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair } from 'jose';

const { values } = parseArgs({ options: { 'sign-from': { type: 'string' } } });
const signFrom = values['sign-from'];
if (signFrom !== undefined && Number.isNaN(Date.parse(signFrom))) throw new Error('--sign-from takes an ISO-8601 time');
const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
console.log(JSON.stringify({ ...(await exportJWK(privateKey)), kid: randomUUID(), ...(signFrom ? { signFrom: new Date(signFrom).toISOString() } : {}) }));
