// The .vsix ships exactly what the extension needs at run time (allow-list in .vscodeignore).
// Runs the real `npm run package` flow (production build + `vsce package --no-dependencies`) in
// a scratch copy of the working tree, so it cannot race other tests that use dist/, then reads
// the zip's central directory with a small reader (no `unzip` on a fresh Debian).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// (@types/node 20.9 and TS 5.9 disagree about Buffer vs Uint8Array; the casts below are only for the checker.)
type Bytes = Parameters<typeof zlib.inflateRawSync>[0];

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/** Reads the central directory of a (non-zip64) zip file. */
export function readZipEntries(buf: Buffer): ZipEntry[] {
  const EOCD = 0x06054b50,
    CEN = 0x02014b50;
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file: no end-of-central-directory record');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== CEN) throw new Error(`bad central directory entry ${i} at ${p}`);
    const nameLen = buf.readUInt16LE(p + 28),
      extraLen = buf.readUInt16LE(p + 30),
      commentLen = buf.readUInt16LE(p + 32);
    entries.push({
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localHeaderOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

export function readZipFile(buf: Buffer, e: ZipEntry): Buffer {
  const lh = e.localHeaderOffset;
  if (buf.readUInt32LE(lh) !== 0x04034b50) throw new Error(`bad local header for ${e.name}`);
  const start = lh + 30 + buf.readUInt16LE(lh + 26) + buf.readUInt16LE(lh + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) return Buffer.from(data.toString('latin1'), 'latin1');
  if (e.method === 8) return zlib.inflateRawSync(data as unknown as Bytes);
  throw new Error(`unsupported compression method ${e.method} for ${e.name}`);
}

/** Everything allowed in the package. Anything else (sources, tests, maps, node_modules, the CLI) fails. */
const ALLOWED: RegExp[] = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/dist\/(extension|server|snowflake)\.js$/,
  /^extension\/syntaxes\/[^/]+\.json$/,
  /^extension\/snippets\/[^/]+\.(code-snippets|json)$/,
  /^extension\/schemas\/[^/]+\.json$/,
  /^extension\/readme\.md$/i,
  /^extension\/license(\.txt|\.md)?$/i,
  /^extension\/changelog\.md$/i,
  /^extension\/images\/icon\.png$/,
];
const REQUIRED = [
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/server.js',
  'extension/dist/snowflake.js',
  '[Content_Types].xml',
  'extension.vsixmanifest',
];

function copyWorkingTree(dest: string): void {
  const skipTop = new Set(['node_modules', '.git', 'dist', 'dist-vsix', '.bench-out']);
  fs.cpSync(ROOT, dest, {
    recursive: true,
    filter: src => {
      const rel = path.relative(ROOT, src);
      if (rel === '') return true;
      const top = rel.split(path.sep)[0]!;
      return !skipTop.has(top) && !rel.startsWith(path.join('test', 'e2e', '.work')) && !rel.split(path.sep).includes('node_modules');
    },
  });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dest, 'node_modules'), 'dir');
}

test('the .vsix contains only allow-listed files, and all the required ones', { timeout: 180_000 }, t => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dcr-packaging-'));
  try {
    copyWorkingTree(scratch);
    fs.mkdirSync(path.join(scratch, 'dist-vsix'), { recursive: true }); // vsce --out dist-vsix/ needs the folder
    const t0 = Date.now();
    const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: scratch, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    assert.equal(r.status, 0, `npm run package failed:\n${r.stdout}\n${r.stderr}`);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const vsixPath = path.join(scratch, 'dist-vsix', `${pkg.name}-${pkg.version}.vsix`);
    assert.ok(fs.existsSync(vsixPath), `${path.basename(vsixPath)} was not produced:\n${r.stdout}`);
    const buf = fs.readFileSync(vsixPath);
    const entries = readZipEntries(buf);
    const names = entries.map(e => e.name);

    const unexpected = names.filter(n => !ALLOWED.some(re => re.test(n)));
    assert.deepEqual(unexpected, [], `files outside the allow-list are packaged (fix .vscodeignore):\n  ${unexpected.join('\n  ')}`);
    for (const req of REQUIRED) assert.ok(names.includes(req), `${req} is missing from the .vsix`);
    assert.ok(
      names.some(n => /^extension\/license(\.txt|\.md)?$/i.test(n)),
      'LICENSE is missing from the .vsix',
    );

    // Every runtime asset in the repo ships, and every file the manifest points at is in the package.
    for (const dir of ['syntaxes', 'snippets', 'schemas']) {
      const abs = path.join(ROOT, dir);
      if (!fs.existsSync(abs)) continue;
      for (const f of fs.readdirSync(abs)) {
        if (fs.statSync(path.join(abs, f)).isFile()) assert.ok(names.includes(`extension/${dir}/${f}`), `${dir}/${f} is not packaged`);
      }
    }
    for (const f of ['README.md', 'CHANGELOG.md']) {
      if (fs.existsSync(path.join(ROOT, f)))
        assert.ok(
          names.some(n => n.toLowerCase() === `extension/${f.toLowerCase()}`),
          `${f} is not packaged`,
        );
    }
    const manifest = JSON.parse(
      readZipFile(
        buf,
        entries.find(e => e.name === 'extension/package.json')!,
      ).toString('utf8'),
    );
    const referenced: string[] = [manifest.main];
    const c = manifest.contributes ?? {};
    for (const l of c.languages ?? []) if (l.configuration) referenced.push(l.configuration);
    for (const g of c.grammars ?? []) referenced.push(g.path);
    for (const s of c.snippets ?? []) referenced.push(s.path);
    for (const j of c.jsonValidation ?? []) if (typeof j.url === 'string' && !/^https?:/.test(j.url)) referenced.push(j.url);
    if (manifest.icon) referenced.push(manifest.icon);
    for (const ref of referenced) {
      const n = 'extension/' + path.posix.normalize(ref).replace(/^\.\//, '');
      assert.ok(names.includes(n), `package.json references ${ref}, which is not in the .vsix`);
    }

    const size = (n: string) => entries.find(e => e.name === n)!.size;
    const kb = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
    const msg =
      `vsix ${kb(buf.length)} with ${names.length} entries (packaged in ${Date.now() - t0} ms); ` +
      `dist/extension.js ${kb(size('extension/dist/extension.js'))}, dist/server.js ${kb(size('extension/dist/server.js'))}`;
    console.log(`# ${msg}`);
    t.diagnostic(msg);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});

test('the zip reader sees a file that does not belong (self-check of the allow-list)', () => {
  // A tiny stored zip built by hand: one entry "extension/src/extension.ts".
  const name = Buffer.from('extension/src/extension.ts');
  const data = Buffer.from('export {};\n');
  const crc = 0; // not checked by the reader
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt32LE(crc >>> 0, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const cen = Buffer.alloc(46);
  cen.writeUInt32LE(0x02014b50, 0);
  cen.writeUInt32LE(crc >>> 0, 16);
  cen.writeUInt32LE(data.length, 20);
  cen.writeUInt32LE(data.length, 24);
  cen.writeUInt16LE(name.length, 28);
  cen.writeUInt32LE(0, 42);
  const cdOffset = local.length + name.length + data.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(cen.length + name.length, 12);
  eocd.writeUInt32LE(cdOffset, 16);
  const zip = Buffer.concat([local, name, data, cen, name, eocd] as unknown as Uint8Array[]);
  const entries = readZipEntries(zip);
  assert.deepEqual(
    entries.map(e => e.name),
    ['extension/src/extension.ts'],
  );
  assert.equal(readZipFile(zip, entries[0]!).toString(), 'export {};\n');
  assert.ok(!ALLOWED.some(re => re.test(entries[0]!.name)), 'a source file must not be allowed');
});
