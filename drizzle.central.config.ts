import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src-main/central/schema.ts',
  out: './drizzle/central',
});
