import { en } from './en.ts';

const templates: Record<string, string> = en.errors;

/** Reads the {name} values back out of the station's English sentence, using the same template. */
export function paramsOf(code: string, message: string): Record<string, string> | null {
  const template = templates[code];
  if (!template) return null;
  const names: string[] = [];
  const pattern = template
    .split(/\{(\w+)\}/)
    .map((part, i) => {
      if (i % 2 === 1) {
        names.push(part);
        return '(.*?)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const match = new RegExp(`^${pattern}$`, 's').exec(message);
  if (!match) return null;
  return Object.fromEntries(names.map((name, i) => [name, match[i + 1] ?? '']));
}

/** The catalogue code whose sentence this is (a scanner's lastError comes as a sentence only). */
export function codeOf(message: string): string | null {
  return Object.keys(templates).find((code) => paramsOf(code, message) !== null) ?? null;
}
