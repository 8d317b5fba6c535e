// The harness's I/O: timing a build under /usr/bin/time -v while sampling its
// process tree, sizes of files raw/gzip/brotli, a self-signed certificate, and
// a static server (HTTP/2 or HTTP/1.1 over TLS) that serves brotli and logs
// every request with its times and bytes.

import { execFileSync, spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { descendants, parseTimeV } from './lib.mjs';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Brotli quality and gzip level: 9 for both, as `build.sh dist` reports sizes (`gzip -9`, `brotli -9`). */
export const LEVEL = 9;

// --- builds ------------------------------------------------------------------------

const PAGE = 4096;

/** [pid, ppid, rssBytes] of every process, from /proc. */
function processes() {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push([Number(name), Number(fields[1]), Number(fields[21]) * PAGE]);
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/**
 * Runs `command args` under `/usr/bin/time -v` and samples the summed RSS of
 * the whole process tree every `everyMs` (time -v reports only the largest
 * single process it waited for). Resolves { seconds, maxRssBytes,
 * treePeakBytes, stderr }; rejects on a non-zero exit.
 */
export function timedRun(command, args, { cwd, everyMs = 50 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-v', command, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    let treePeakBytes = 0;
    const sample = () => {
      const all = processes();
      const tree = new Set(descendants(child.pid, all.map(([pid, ppid]) => [pid, ppid])));
      tree.delete(child.pid); // time itself
      const sum = all.filter(([pid]) => tree.has(pid)).reduce((acc, [, , rss]) => acc + rss, 0);
      treePeakBytes = Math.max(treePeakBytes, sum);
    };
    const timer = setInterval(sample, everyMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${stderr.slice(-3000)}`));
        return;
      }
      resolve({ ...parseTimeV(stderr), treePeakBytes, stderr });
    });
  });
}

// --- sizes ------------------------------------------------------------------------------

/** Whether `bytes` is already a gzip stream (Pagefind stores its index parts and wasm so). */
export const isGzip = (bytes) => bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/**
 * Raw, gzip and brotli sizes of one file. A file that is already a gzip
 * stream counts as its own size for both: recompressing one gains nothing
 * (measured: +0.02 % to +0.3 %), and the server sends it as it is.
 */
export async function fileSizes(file, cache) {
  const bytes = await readFile(file);
  if (isGzip(bytes)) return { raw: bytes.length, gzip: bytes.length, brotli: bytes.length };
  const [gz, br] = await Promise.all([
    gzip(bytes, { level: LEVEL }),
    brotli(bytes, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: LEVEL, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }),
  ]);
  cache?.set(file, br);
  return { raw: bytes.length, gzip: gz.length, brotli: br.length };
}

/** Every file under `dir`, recursively. */
export function listFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

/** Summed sizes of `files` ({ files, raw, gzip, brotli }), two compressions at a time. */
export async function sumSizes(files, cache) {
  const total = { files: files.length, raw: 0, gzip: 0, brotli: 0 };
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const s = await fileSizes(files[next++], cache);
      total.raw += s.raw;
      total.gzip += s.gzip;
      total.brotli += s.brotli;
    }
  };
  await Promise.all([worker(), worker()]);
  return total;
}

// --- TLS ------------------------------------------------------------------------------

/**
 * A fresh self-signed certificate for 127.0.0.1 (`openssl req -x509`), written to `dir`:
 * { key, cert } (PEM) and `spki`, the base64 SHA-256 of its public key, which Chromium's
 * `--ignore-certificate-errors-spki-list` takes. Chromium then treats the certificate as valid,
 * whereas `--ignore-certificate-errors` (or Playwright's `ignoreHTTPSErrors`) leaves the origin
 * with a certificate error, and Chromium keeps nothing from such an origin in its HTTP cache.
 */
export function selfSignedCertificate(dir) {
  mkdirSync(dir, { recursive: true });
  const [keyFile, certFile] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '7', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const cert = readFileSync(certFile);
  const spkiDer = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
  return { key: readFileSync(keyFile), cert, spki: createHash('sha256').update(spkiDer).digest('base64') };
}

// --- the server ------------------------------------------------------------------------

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * Serves `root`, plus `mounts` (url prefix → directory), on 127.0.0.1: over
 * plain HTTP/1.1, or with `tls` ({ key, cert }) over TLS, as HTTP/2 (HTTP/1.1
 * for a client without it) or, with `tls.http1`, HTTP/1.1 only.
 * Every response that is not already a gzip stream goes out brotli-encoded
 * (quality LEVEL; `cache` holds what sumSizes compressed already) when the
 * browser accepts br, which Chromium does on http://127.0.0.1 and on https.
 * `log` gets { path, start, end, bytes, encoding, version } per request:
 * `start` when the request arrived, `end` when the last byte was handed to
 * the socket or stream (performance.now() of this process), `bytes` the body
 * as sent, `version` the HTTP version it came in ("1.1", "2.0").
 */
export async function startServer({ root, mounts = {}, cache = new Map(), tls }) {
  const log = [];
  const prefixes = Object.entries(mounts).sort(([a], [b]) => b.length - a.length);
  const handle = async (req, res) => {
    const entry = { path: '', start: performance.now(), end: undefined, bytes: 0, encoding: 'identity', version: req.httpVersion };
    log.push(entry);
    try {
      entry.path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
      const [prefix, base] = prefixes.find(([p]) => entry.path.startsWith(p)) ?? ['/', root];
      const file = path.join(base, path.normalize('/' + entry.path.slice(prefix.length)));
      if (!file.startsWith(base + path.sep) || !statSync(file).isFile()) throw new Error('not a file');
      // One byte range, as static hosts serve it (Qidiruv reads its store slots so):
      // the bytes asked for, uncompressed, as hosts send ranges. Only those
      // bytes are read, as a static host does: reading the whole multi-MiB
      // store file per range cost ≈ 10 ms each, serialised, on this server.
      const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      if (range) {
        const size = statSync(file).size;
        const [start, end] = [Math.min(Number(range[1]), size), Math.min(Number(range[2]) + 1, size)];
        const slice = Buffer.alloc(Math.max(0, end - start));
        const handle = await open(file);
        try {
          await handle.read(slice, 0, slice.length, start);
        } finally {
          await handle.close();
        }
        entry.bytes = slice.length;
        res.on('finish', () => {
          entry.end = performance.now();
        });
        res
          .writeHead(206, {
            'Content-Type': 'application/octet-stream',
            'Content-Length': slice.length,
            'Content-Range': `bytes ${start}-${end - 1}/${size}`,
            'Cache-Control': 'max-age=3600',
          })
          .end(slice);
        return;
      }
      let body = cache.get(file);
      let encoding = body ? 'br' : 'identity';
      if (!body) {
        body = await readFile(file);
        if (!isGzip(body)) {
          body = await brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: LEVEL } });
          cache.set(file, body);
          encoding = 'br';
        }
      }
      if (encoding === 'br' && !/\bbr\b/.test(req.headers['accept-encoding'] ?? '')) {
        throw new Error('the browser does not accept brotli');
      }
      const headers = {
        'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': 'max-age=3600',
      };
      if (encoding === 'br') headers['Content-Encoding'] = 'br';
      entry.encoding = encoding;
      entry.bytes = body.length;
      res.on('finish', () => {
        entry.end = performance.now();
      });
      res.writeHead(200, headers).end(body);
    } catch (error) {
      entry.error = String(error.message ?? error);
      res.on('finish', () => {
        entry.end = performance.now();
      });
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    }
  };
  let server;
  if (!tls) server = http.createServer(handle);
  else if (tls.http1) server = https.createServer({ key: tls.key, cert: tls.cert }, handle);
  else server = http2.createSecureServer({ key: tls.key, cert: tls.cert, allowHTTP1: true }, handle);
  // Every connection, to end them on close (an HTTP/2 server has no closeAllConnections).
  const sockets = new Set();
  server.on(tls ? 'secureConnection' : 'connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const scheme = tls ? 'https' : 'http';
  return {
    url: (p) => `${scheme}://127.0.0.1:${server.address().port}${p}`,
    log,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(resolve);
      }),
  };
}
