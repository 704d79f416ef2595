// Trunk post_build hook (docs/deployment.md), in $TRUNK_STAGING_DIR:
//
// 1. Moves the inline <script type="module"> that Trunk writes into index.html (it
//    imports the wasm-bindgen glue and starts the app) into its own file,
//    loader-<hash>.js, referenced with a Subresource Integrity hash. The built app then
//    runs under a Content Security Policy with no 'unsafe-inline'. The build fails when
//    the inline loader is not found, so a change in Trunk's output cannot silently
//    break the policy.
// 2. Joins the stylesheets Trunk links one per file of style/ (kept apart there, one per
//    part of the screen) into one file, style-<hash>.css, in the same order and with
//    a Subresource Integrity hash. Over HTTP/1.1 a browser opens six connections to a
//    host: seven stylesheets queued the wasm and its glue behind them, and the first
//    rows came about 100 ms later (bench/timeline.mjs).
// 3. Writes 404.html as a copy of the result. Hosts without rewrite rules (GitHub Pages
//    and similar) answer an unknown path with 404.html, so a deep link or a reload still
//    starts the app, which then reads the address.
// 4. Writes a brotli (.br, quality 11) and a gzip (.gz, level 9) copy beside every hashed
//    file (.wasm, .js, .css), for hosts that serve precompressed files (the reference
//    server, nginx's brotli_static/gzip_static: docs/deployment.md). Only hashed files:
//    they never change under their name, while config.json is edited where it is
//    deployed and a stale compressed copy of it would win over the edit.
// 5. Puts a check before the app starts: a browser without WebAssembly SIMD (the build
//    uses it: .cargo/config.toml) gets a message saying which browsers run the app,
//    instead of a blank page and an error in its console.
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('post-build: TRUNK_STAGING_DIR is not set (run it as a Trunk hook)');
  process.exit(1);
}
const publicUrl = process.env.TRUNK_PUBLIC_URL ?? '/';
const htmlPath = join(dir, 'index.html');
const html = readFileSync(htmlPath, 'utf8');

const inline = /<script type="module"(?: nonce="[^"]*")?>([\s\S]*?)<\/script>/;
const match = html.match(inline);
if (!match) {
  console.error('post-build: no inline module script in index.html');
  process.exit(1);
}
// The app starts only where wasm SIMD is: `validate` of a module of one function
// (`i32.const 0; i8x16.splat`) answers that. Elsewhere the page says so.
const withSimd = "typeof WebAssembly === 'object' && WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 15, 11]))";
const unsupported = `const note = document.createElement('p');
  note.setAttribute('role', 'alert');
  note.className = 'unsupported-browser';
  note.textContent = 'This browser cannot run Sync Logs: it needs WebAssembly with SIMD (Chrome or Edge 91, Firefox 89, Safari 16.4, or later). Open it in an up-to-date browser.';
  document.body.append(note);`;
const trunkCode = match[1].trim();
const lastImport = trunkCode.lastIndexOf('\nimport ') + 1;
const afterImports = trunkCode.indexOf('\n', trunkCode.indexOf(' from ', lastImport)) + 1;
if (!/^import /.test(trunkCode) || afterImports === 0) {
  console.error('post-build: the inline loader does not start with its imports');
  process.exit(1);
}
const start = trunkCode.slice(afterImports).trim();
const code = `${trunkCode.slice(0, afterImports)}if (${withSimd}) {\n${start}\n} else {\n  ${unsupported}\n}\n`;
const name = `loader-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`;
const integrity = `sha384-${createHash('sha384').update(code).digest('base64')}`;
writeFileSync(join(dir, name), code);

const base = publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`;
const tag = `<script type="module" src="${base}${name}" integrity="${integrity}" crossorigin="anonymous"></script>`;
let out = html.replace(inline, tag);
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(out.replace(tag, ''))) {
  console.error('post-build: index.html still has an inline script');
  process.exit(1);
}

const sheet = /<link rel="stylesheet" href="([^"]+\.css)"[^>]*\/?>\s*/g;
const sheets = [...out.matchAll(sheet)];
if (sheets.length > 1) {
  const files = sheets.map((m) => m[1].slice(m[1].lastIndexOf('/') + 1));
  const css = files.map((f) => `/* ${f.replace(/-[0-9a-f]+\.css$/, '.css')} */\n${readFileSync(join(dir, f), 'utf8')}`).join('\n');
  const cssName = `style-${createHash('sha256').update(css).digest('hex').slice(0, 16)}.css`;
  const cssIntegrity = `sha384-${createHash('sha384').update(css).digest('base64')}`;
  writeFileSync(join(dir, cssName), css);
  for (const f of files) rmSync(join(dir, f));
  const link = `<link rel="stylesheet" href="${base}${cssName}" integrity="${cssIntegrity}"/>\n    `;
  let first = true;
  out = out.replace(sheet, () => (first ? ((first = false), link) : ''));
  console.log(`post-build: ${cssName} from ${files.length} stylesheets (${css.length} bytes)`);
}
writeFileSync(htmlPath, out);
copyFileSync(htmlPath, join(dir, '404.html'));
console.log(`post-build: ${name} (${code.length} bytes), 404.html`);

// Trunk's hashes drop leading zeros: 8 to 16 hex digits (as headers.rs reads them).
const hashed = /-[0-9a-f]{8,16}(_bg)?\.(wasm|js|css)$/;
for (const file of readdirSync(dir).filter((f) => hashed.test(f))) {
  const body = readFileSync(join(dir, file));
  const br = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      [constants.BROTLI_PARAM_LGWIN]: 24,
    },
  });
  const gz = gzipSync(body, { level: 9 });
  writeFileSync(join(dir, `${file}.br`), br);
  writeFileSync(join(dir, `${file}.gz`), gz);
  console.log(`post-build: ${file}: ${body.length} bytes, brotli ${br.length}, gzip ${gz.length}`);
}
