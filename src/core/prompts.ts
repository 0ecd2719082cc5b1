import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PtsmError } from './errors.js';

/** Prompt templates live as files in prompts/ so they can be reviewed and changed without touching code. */
const PROMPTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'prompts');

const cache = new Map<string, string>();

export function loadPrompt(name: string, dir: string = PROMPTS_DIR): string {
  const file = path.join(dir, `${name}.md`);
  const hit = cache.get(file);
  if (hit !== undefined) return hit;
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    cache.set(file, text);
    return text;
  } catch (cause) {
    throw new PtsmError('CONFIG_INVALID', `Modèle de prompt introuvable : ${file}`, { input: file, cause });
  }
}

/** Fills {placeholders}; unknown placeholders are left as they are. */
export function fillPrompt(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (all, key: string) => values[key] ?? all);
}
