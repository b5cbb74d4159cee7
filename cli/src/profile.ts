/** Reads a cleanrooms.json profile. Missing or malformed is a configuration error (exit 2). */
import { resolve } from 'node:path';
import { readText } from './files.js';
import { UsageError } from './io.js';

export function loadProfile(path: string, cwd: string): unknown {
  const text = readText(resolve(cwd, path), path);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`profile ${path} is not valid JSON: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`profile ${path} must be a JSON object`);
  return value;
}
