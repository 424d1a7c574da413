import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import layers from './eslint-rules/layers.js';

// Folder boundaries (docs/ARCHITECTURE.md section 2): only src-main/electron may import 'electron';
// core, store, sync, scanner, auth, export and api never import React; the renderer never imports Node.
const noElectronOrReact = {
  paths: [{ name: 'electron', message: "Only src-main/electron may import 'electron'." }],
  patterns: [{ group: ['react', 'react-dom', 'react/*'], message: 'Main-process code never imports React.' }],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      '.scratch',
      'dist-*',
      'dist',
      'drizzle/**/meta',
      'test-results',
      'bench-results',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Each file sits in a layer by its folder and imports only downwards (docs/ARCHITECTURE.md section 2).
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    plugins: { baglink: layers },
    rules: { 'baglink/layers': 'error' },
  },
  {
    files: ['src-main/**/*.{ts,mts,cts}'],
    ignores: ['src-main/electron/**'],
    rules: { 'no-restricted-imports': ['error', noElectronOrReact] },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx,mts,cts}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'child_process', 'electron', 'better-sqlite3'],
              message: 'The renderer never imports Node modules.',
            },
            {
              group: ['**/src-main/**'],
              message:
                'The renderer reads the main process only through src-shared (the contract and its types).',
            },
          ],
        },
      ],
    },
  },
  {
    // What the screens and the main process share runs anywhere: no Node, Electron, React or database.
    files: ['src-shared/**/*.{ts,mts,cts}'],
    ignores: ['src-shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'electron', 'react', 'react-dom', 'better-sqlite3', 'pg'],
              message: 'src-shared runs in the renderer and the main process: it imports no environment.',
            },
            { group: ['**/src-main/**', '**/src-renderer/**'], message: 'src-shared imports only itself.' },
          ],
        },
      ],
    },
  },
);
