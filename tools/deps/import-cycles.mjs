#!/usr/bin/env node
// Lists the import circles among the source files of packages/*/src and apps/*/src:
// the strongly connected components (Tarjan) of the graph of relative imports, and
// the circles between workspace packages (@overparam/x imports). Exit 1 when any exists,
// so CI can hold the tree to none. Type-only imports count: they still tie two files
// together for a reader, even though they vanish at run time.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const sourceRoots = ['packages', 'apps'].flatMap((top) =>
  existsSync(join(root, top))
    ? readdirSync(join(root, top)).map((name) => join(root, top, name, 'src')).filter(existsSync)
    : [],
);

function listSources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listSources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const importPattern = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/g;
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(importPattern)].map((match) => match[1]);
}

function resolveRelative(from, specifier) {
  const base = resolve(dirname(from), specifier.replace(/\.js$/, ''));
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

const packageOf = (file) => relative(root, file).split('/').slice(0, 2).join('/');
const files = sourceRoots.flatMap(listSources);
const fileEdges = new Map();
const packageEdges = new Map();
const packageByName = new Map();
for (const sourceRoot of sourceRoots) {
  const manifest = join(dirname(sourceRoot), 'package.json');
  if (existsSync(manifest)) packageByName.set(JSON.parse(readFileSync(manifest, 'utf8')).name, packageOf(sourceRoot));
}
for (const file of files) {
  const targets = new Set();
  for (const specifier of importsOf(file)) {
    if (specifier.startsWith('.')) {
      const target = resolveRelative(file, specifier);
      if (target) targets.add(target);
    } else {
      const name = specifier.split('/').slice(0, 2).join('/');
      const target = packageByName.get(name);
      if (target && target !== packageOf(file)) {
        if (!packageEdges.has(packageOf(file))) packageEdges.set(packageOf(file), new Set());
        packageEdges.get(packageOf(file)).add(target);
      }
    }
  }
  fileEdges.set(file, targets);
}

function circles(edges) {
  let index = 0;
  const order = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    order.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!order.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), order.get(next)));
      }
    }
    if (low.get(node) === order.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of edges.keys()) if (!order.has(node)) visit(node);
  return found;
}

const fileCircles = circles(fileEdges);
const packageCircles = circles(packageEdges);
for (const component of fileCircles) {
  console.log(`files (${component.length}): ${component.map((file) => relative(root, file)).join(' ')}`);
}
for (const component of packageCircles) console.log(`packages (${component.length}): ${component.join(' ')}`);
console.log(`${fileCircles.length} file circle(s), ${packageCircles.length} package circle(s) among ${files.length} source files`);
process.exitCode = fileCircles.length + packageCircles.length > 0 ? 1 : 0;
