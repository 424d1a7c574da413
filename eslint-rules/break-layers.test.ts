/**
 * Adversarial review of the layer rule (issue 15): imports that type-check and run, yet reach a higher layer
 * without a lint error. Each case lints real source text as if it sat at a real path, with the repository's own
 * eslint.config.js, and expects the rule to refuse it.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function errorsOf(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

const station = path.join(root, 'src-main/app/station.ts');

describe('the layer rule refuses a higher layer however the import is written', () => {
  it('(control) refuses the plain static import', async () => {
    const errors = await errorsOf(
      'src-main/core/probe.ts',
      "import { createStation } from '../app/station.ts';\nexport const open = createStation;\n",
    );
    expect(errors.join('\n')).toMatch(/Layer violation/);
  });

  it('refuses a dynamic import written as a template literal', async () => {
    const errors = await errorsOf(
      'src-main/core/probe.ts',
      'export const load = () => import(`../app/station.ts`);\n',
    );
    expect(errors.join('\n')).toMatch(/Layer violation/);
  });

  it('refuses an absolute import path', async () => {
    const errors = await errorsOf(
      'src-main/core/probe.ts',
      `import { createStation } from '${station}';\nexport const open = createStation;\n`,
    );
    expect(errors.join('\n')).toMatch(/Layer violation/);
  });

  it('refuses a require() through createRequire', async () => {
    const errors = await errorsOf(
      'src-main/core/probe.ts',
      [
        "import { createRequire } from 'node:module';",
        'const load = createRequire(import.meta.url);',
        "export const station = load('../app/station.ts') as unknown;",
        '',
      ].join('\n'),
    );
    expect(errors.join('\n')).toMatch(/Layer violation/);
  });

  it('gives a file directly in src-main/ a layer, so it cannot launder a higher layer for core', async () => {
    // A file at src-main/ itself has no place (placeOf answers null): it may import anything, and anything may
    // import it, so core reaches the composition root through it.
    const launderer = await errorsOf(
      'src-main/reexport.ts',
      "export { createStation } from './app/station.ts';\n",
    );
    const core = await errorsOf(
      'src-main/core/probe.ts',
      "export { createStation } from '../reexport.ts';\n",
    );
    expect([...launderer, ...core].join('\n')).toMatch(/Layer violation/);
  });

  it('judges .mts files too', async () => {
    const errors = await errorsOf(
      'src-main/core/probe.mts',
      "import { createStation } from '../app/station.ts';\nexport const open = createStation;\n",
    );
    expect(errors.join('\n')).toMatch(/Layer violation/);
  });

  it('refuses a template-literal import of the main process from the renderer', async () => {
    const errors = await errorsOf(
      'src-renderer/screens/Probe.tsx',
      'export const load = () => import(`../../src-main/app/station.ts`);\n',
    );
    expect(errors.join('\n')).toMatch(/Layer violation|src-shared/);
  });
});
