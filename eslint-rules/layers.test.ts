import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The project's own eslint.config.js, so this also proves the rule is loaded where `npm test` lints.
const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

/** The layer messages ESLint gives a probe source as if it were the file at `path` (which need not exist). */
async function layerErrors(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\n`, { filePath: path });
  return result!.messages.filter((m) => m.ruleId === 'baglink/layers').map((m) => m.message);
}

describe('the layer rule', () => {
  it('refuses an import from a higher layer, a type-only one too, and says which layers', async () => {
    expect(
      await layerErrors(
        'src-main/core/probe.ts',
        "import type { Station } from '../app/station.ts';\nexport type S = Station;",
      ),
    ).toEqual(['Layer violation: src-main/core (layer 2) may not import src-main/app (layer 4).']);
    expect(
      await layerErrors('src-main/store/probe.ts', "export { createContext } from '../core/context.ts';"),
    ).toEqual(['Layer violation: src-main/store (layer 1) may not import src-main/core (layer 2).']);
    expect(
      await layerErrors(
        'src-shared/probe.ts',
        "export const load = () => import('../src-main/store/open.ts');",
      ),
    ).toHaveLength(1);
    expect(
      await layerErrors('src-main/core/probe.ts', "export type S = import('../app/station.ts').Station;"),
    ).toHaveLength(1);
  });

  it('lets a file import downwards, within its folder, and from npm', async () => {
    const legal = [
      "import { openStore } from '../store/open.ts';",
      "import { roleAtLeast } from '../../src-shared/roles.ts';",
      "import { normalizeScan } from './normalize.ts';",
      "import { z } from 'zod';",
    ].join('\n');
    expect(await layerErrors('src-main/core/probe.ts', legal)).toEqual([]);
    expect(
      await layerErrors('src-main/app/probe.ts', "import { x } from '../sync/station-sync.ts';"),
    ).toEqual([]);
  });

  it('keeps siblings apart except the pairs it names', async () => {
    expect(await layerErrors('src-main/sync/probe.ts', "import { x } from '../export/csv.ts';")).toEqual([
      'Layer violation: src-main/sync (layer 3) may not import its sibling src-main/export (layer 3) ' +
        '(allowed siblings are listed in eslint-rules/layers.js).',
    ]);
    expect(await layerErrors('src-main/sync/probe.ts', "import { x } from '../central/enrol.ts';")).toEqual(
      [],
    );
    expect(
      await layerErrors('src-main/central/probe.ts', "import { x } from '../sync/config.ts';"),
    ).toHaveLength(1);
    expect(
      await layerErrors('src-main/core/probe.ts', "import { x } from '../auth/session.ts';"),
    ).toHaveLength(1);
  });

  it('keeps test code and e2e out of the product, and lets tests use the test helpers', async () => {
    expect(
      await layerErrors('src-main/bench/probe.ts', "import { x } from '../central/testing/pgbouncer.ts';"),
    ).toEqual([
      'Layer violation: src-main/bench (layer 6) may not import the test code src-main/central/testing: ' +
        'product code never imports test code.',
    ]);
    expect(
      await layerErrors('src-main/bench/probe.ts', "import { x } from '../../e2e/web/browser.ts';"),
    ).toEqual(['Layer violation: src-main/bench (layer 6) may not import e2e/web: only e2e/ imports it.']);
    expect(
      await layerErrors('src-main/cli/probe.ts', "import { x } from '../testing/test-station.ts';"),
    ).toHaveLength(1);
    const helpers = [
      "import { x } from '../central/testing/pgbouncer.ts';",
      "import { y } from '../testing/test-station.ts';",
      "import { z } from './testing/stations.ts';",
      "import { w } from '../export/csv.ts';",
    ].join('\n');
    expect(await layerErrors('src-main/sync/probe.test.ts', helpers)).toEqual([]);
    expect(
      await layerErrors('e2e/web/probe.test.ts', "import { x } from '../../src-main/cli/main.ts';"),
    ).toEqual([]);
  });

  it('judges tests by their folder’s layer too', async () => {
    expect(
      await layerErrors('src-main/sync/probe.test.ts', "import { main } from '../cli/main.ts';"),
    ).toEqual(['Layer violation: src-main/sync (layer 3) may not import src-main/cli (layer 6).']);
  });

  it('names the file with no layer and the computed path it refuses', async () => {
    expect(await layerErrors('src-main/loose.ts', "export { x } from './store/open.ts';")).toEqual([
      "Layer violation: src-main/loose.ts sits directly in src-main/, in no layer: move it into a layer's folder.",
    ]);
    expect(
      await layerErrors(
        'src-main/core/probe.ts',
        'export const load = (f: string) => import(`../app/${f}`);',
      ),
    ).toEqual([
      'Layer violation: src-main/core (layer 2) may not import a computed path (../app/...): write the path whole.',
    ]);
    const legal = [
      "import { createRequire } from 'node:module';",
      'const load = createRequire(import.meta.url);',
      "export const a = load('better-sqlite3') as unknown;",
      "export const b = load('../store/open.ts') as unknown;",
      'export const c = () => import(`../store/open.ts`);',
    ].join('\n');
    expect(await layerErrors('src-main/core/probe.ts', legal)).toEqual([]);
  });

  it('lets the renderer import only src-shared from outside itself', async () => {
    expect(
      await layerErrors(
        'src-renderer/app/probe.ts',
        "import type { Station } from '../../src-main/app/station.ts';",
      ),
    ).toEqual([
      'Layer violation: src-renderer may not import src-main/app (layer 4): the renderer and the main process ' +
        'meet only in src-shared.',
    ]);
    expect(
      await layerErrors(
        'src-renderer/app/probe.ts',
        "import { contract } from '../../src-shared/contract.ts';",
      ),
    ).toEqual([]);
  });
});
