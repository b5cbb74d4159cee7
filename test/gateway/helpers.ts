/**
 * Shared set-up for the gateway tests: a private HOME (the driver writes caches there), the
 * driver's switches set before it is first required, a fake Snowflake with known users, and
 * connection settings pointing at it.
 */
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeSnowflake } from './fake/server.js';
import type { ConnectionSettings } from '../../gateway/src/config.js';

export const PASSWORD = 'pw-Sup3r$ecret-1';
export const PASSPHRASE = 'pass-Phr4se-Secret-2';
export const TOKEN = 'tok-Pr0grammatic-Secret-3';
export const ACCOUNT = 'testacct';

export const home = mkdtempSync(join(tmpdir(), 'dcr-gw-home-'));
process.env.HOME = home;
process.env.SF_OCSP_RESPONSE_CACHE_DIR = join(home, 'ocsp');
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
process.env.SF_TELEMETRY_DISABLE_CONNECTION_SHAPE = '1';
delete process.env.HTTP_PROXY;
delete process.env.HTTPS_PROXY;

export function cleanupHome(): void {
  rmSync(home, { recursive: true, force: true });
}

/** An encrypted PKCS#8 key (what `openssl genrsa | openssl pkcs8 -v2 aes256` produces). */
export function keyPair(dir: string): { privateKeyFile: string; publicKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE },
  });
  const privateKeyFile = join(dir, 'rsa_key.p8');
  writeFileSync(privateKeyFile, privateKey, { mode: 0o600 });
  return { privateKeyFile, publicKeyPem: publicKey };
}

export async function startFake(): Promise<FakeSnowflake> {
  const fake = await new FakeSnowflake().start();
  fake.addUser({ account: ACCOUNT, user: 'alice', password: PASSWORD });
  fake.addUser({ account: ACCOUNT, user: 'patty', token: TOKEN });
  return fake;
}

export function settings(fake: FakeSnowflake, extra: Partial<ConnectionSettings> = {}): ConnectionSettings {
  return {
    name: 'test',
    account: ACCOUNT,
    user: 'alice',
    authenticator: 'SNOWFLAKE',
    password: PASSWORD,
    role: 'SAMOOHA_APP_ROLE',
    warehouse: 'APP_WH',
    host: '127.0.0.1',
    port: fake.port,
    protocol: 'http',
    sources: {},
    ...extra,
  };
}

/** A SNOWFLAKE_HOME with the given files, permissions 0600 as the drivers require. */
export function snowflakeHome(files: Record<string, string>): string {
  const dir = mkdtempSync(join(home, 'sfhome-'));
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text);
    chmodSync(join(dir, name), 0o600);
  }
  return dir;
}
