#!/usr/bin/env node
// Top self-time functions of a V8 .cpuprofile (from `node --cpu-prof`), and time by module.
//   node bench/profile-top.js <file.cpuprofile> [count]
import { readFileSync } from 'node:fs';

const [file, countArg] = process.argv.slice(2);
const count = Number.parseInt(countArg ?? '25', 10);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  const node = byId.get(profile.samples[i]);
  self.set(node.id, (self.get(node.id) ?? 0) + dt);
}
const where = (cf) => {
  const url = cf.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'node_modules/').replace(/^.*\/packages\//, 'packages/');
  return url ? `${url}:${cf.lineNumber + 1}` : '';
};
const byFn = new Map();
const byModule = new Map();
for (const [id, us] of self) {
  const cf = byId.get(id).callFrame;
  const key = `${cf.functionName || '(anonymous)'}  ${where(cf)}`;
  byFn.set(key, (byFn.get(key) ?? 0) + us);
  const mod = cf.url
    ? cf.url.includes('/node_modules/')
      ? cf.url.replace(/^.*\/node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1')
      : cf.url.replace(/^.*\/packages\/([^/]+)\/.*$/, '@supagate/$1').replace(/^node:.*$/, 'node:internal')
    : `(${cf.functionName || 'native'})`;
  byModule.set(mod, (byModule.get(mod) ?? 0) + us);
}
// Inclusive time of supagate's own functions (a function counted once per sample, however deep the recursion).
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  const seen = new Set();
  for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
    const cf = byId.get(id).callFrame;
    if (!cf.url.includes('/packages/') && !cf.url.includes('/libpg-query/')) continue;
    const key = `${cf.functionName || '(anonymous)'}  ${where(cf)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
  }
}
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms`;
console.log(`total sampled: ${(total / 1000).toFixed(0)} ms\n\nself time by module:`);
for (const [k, us] of [...byModule].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${pct(us)}  ${k}`);
console.log('\ntop self-time functions:');
for (const [k, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, count)) console.log(`${pct(us)}  ${k}`);
console.log('\ninclusive time, supagate and libpg-query functions:');
for (const [k, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, count)) console.log(`${pct(us)}  ${k}`);
