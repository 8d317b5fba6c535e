// The harness's I/O: timing a build under /usr/bin/time -v while sampling its
// process tree, sizes of files raw/gzip/brotli, and a static server that
// serves brotli and logs every request with its times and bytes.

import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import http from 'node:http';
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

// --- the server ------------------------------------------------------------------------

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * Serves `root`, plus `mounts` (url prefix → directory), on 127.0.0.1.
 * Every response that is not already a gzip stream goes out brotli-encoded
 * (quality LEVEL; `cache` holds what sumSizes compressed already) when the
 * browser accepts br, which Chromium does on http://127.0.0.1. `log` gets
 * { path, start, end, bytes, encoding } per request: `start` when the request
 * arrived, `end` when the last byte was handed to the socket
 * (performance.now() of this process), `bytes` the body as sent.
 */
export async function startServer({ root, mounts = {}, cache = new Map() }) {
  const log = [];
  const prefixes = Object.entries(mounts).sort(([a], [b]) => b.length - a.length);
  const server = http.createServer(async (req, res) => {
    const entry = { path: '', start: performance.now(), end: undefined, bytes: 0, encoding: 'identity' };
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
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: (p) => `http://127.0.0.1:${server.address().port}${p}`,
    log,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
