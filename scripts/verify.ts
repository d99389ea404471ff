// `npm run verify`: format, lint, typecheck and locale-key parity. No database; seconds.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const bin = (name: string) => path.join('node_modules', '.bin', name);
const steps: [string, string, string[]][] = [
  ['format', bin('prettier'), ['--check', '--log-level', 'warn', '.']],
  ['lint', bin('eslint'), ['--max-warnings', '0', '.']],
  ['typecheck contracts', bin('tsc'), ['-p', 'packages/contracts']],
  ['typecheck api', bin('tsc'), ['-p', 'apps/api']],
  ['typecheck web', bin('tsc'), ['-p', 'apps/web']],
];

type Tree = { [k: string]: string | Tree };
const flatten = (t: Tree, prefix = ''): string[] =>
  Object.entries(t).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : flatten(v, `${prefix}${k}.`),
  );

/** Every locale file must have the same keys in zh-TW and en. */
function localeParity(): string[] {
  const problems: string[] = [];
  const pairs: [string, string][] = [['apps/api/src/locales/zh-TW.json', 'apps/api/src/locales/en.json']];
  const webDir = 'apps/web/src/locales/zh-TW';
  if (fs.existsSync(webDir)) {
    for (const f of fs.readdirSync(webDir).filter((f) => f.endsWith('.json'))) {
      pairs.push([path.join(webDir, f), path.join('apps/web/src/locales/en', f)]);
    }
  }
  for (const [zh, en] of pairs) {
    if (!fs.existsSync(en)) {
      problems.push(`${en} is missing`);
      continue;
    }
    const a = new Set(flatten(JSON.parse(fs.readFileSync(zh, 'utf8')) as Tree));
    const b = new Set(flatten(JSON.parse(fs.readFileSync(en, 'utf8')) as Tree));
    for (const k of a) if (!b.has(k)) problems.push(`${en}: missing ${k}`);
    for (const k of b) if (!a.has(k)) problems.push(`${zh}: missing ${k}`);
  }
  return problems;
}

let failed = false;
for (const [name, cmd, args] of steps) {
  if (name === 'typecheck web' && !fs.existsSync('apps/web/tsconfig.json')) continue;
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  const ok = r.status === 0;
  failed ||= !ok;
  console.log(`${ok ? '✓' : '✗'} ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
const parity = localeParity();
for (const p of parity) console.log(`  ${p}`);
console.log(`${parity.length ? '✗' : '✓'} locale keys`);
failed ||= parity.length > 0;
process.exit(failed ? 1 : 0);
