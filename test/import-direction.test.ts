import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

/** Every import of every .ts file under src/, as [importing file, imported file], both relative to src/. */
function imports(): [string, string][] {
  const edges: [string, string][] = [];
  for (const entry of readdirSync(SRC, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    for (const [, target] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      edges.push([relative(SRC, file), relative(SRC, resolve(entry.parentPath, target ?? ''))]);
    }
  }
  return edges;
}

/** Layers from the bottom: a module may import its own layer and those below it, never one above. */
const LAYERS: readonly (readonly string[])[] = [
  ['domain', 'redact.ts'],
  ['audio', 'dmxapi'],
  ['pipeline', 'history'],
  ['discord'],
];

function layerOf(path: string): number {
  const top = path.split('/')[0] ?? '';
  return LAYERS.findIndex((layer) => layer.includes(top));
}

describe('imports point one way', () => {
  it('the vocabulary, the audio code and the DMXAPI client never import the pipeline or Discord', () => {
    const upward = imports().filter(([from, to]) => {
      const [a, b] = [layerOf(from), layerOf(to)];
      return a >= 0 && b >= 0 && b > a;
    });
    expect(upward).toEqual([]);
  });
});
