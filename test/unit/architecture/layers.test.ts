import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The layers of docs/ARCHITECTURE.md: a folder of src/ may import only folders of a lower rank, so no
 * two folders import each other and nothing imports the CLI. A new folder must be placed here.
 */
const RANK: Record<string, number> = {
  pipeline: 0,
  io: 1,
  gan: 2,
  stages: 3,
  eval: 3,
  prior: 2.5,
  flow: 2.5,
  plate: 3,
  patch: 3.5,
  data: 4,
  guides: 5,
  drill: 5,
  select: 5.5,
  report: 6,
  jobs: 7,
  cli: 8,
};

const SRC = path.resolve(__dirname, '../../../src');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = path.join(folder, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

function importedFolders(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map(
    (match) => path.relative(SRC, path.resolve(path.dirname(file), match[1]!)).split(path.sep)[0]!,
  );
}

describe('source layers', () => {
  const files = sourceFiles(SRC).filter((file) => path.dirname(file) !== SRC);

  it('places every folder of src/ in a layer', () => {
    const folders = new Set(files.map((file) => path.relative(SRC, file).split(path.sep)[0]!));
    expect([...folders].filter((folder) => !(folder in RANK))).toEqual([]);
  });

  it('imports only from lower layers', () => {
    const upward = files.flatMap((file) => {
      const own = path.relative(SRC, file).split(path.sep)[0]!;
      return importedFolders(file)
        .filter((target) => target !== own && target in RANK && RANK[target]! >= RANK[own]!)
        .map((target) => `${path.relative(SRC, file)} imports ${target}/`);
    });
    expect(upward).toEqual([]);
  });
});
