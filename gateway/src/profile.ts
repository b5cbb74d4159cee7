/** The parts of cleanrooms.json (schemas/cleanrooms.schema.json) the Snowflake commands use: analyses and policies. */
import { basename } from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { GatewayError } from './errors.js';
import type { AnalysisInput } from './operations.js';
import type { Side, SidePolicies } from './policies.js';

export interface ProfileAnalysis {
  template: string;
  templateName?: string;
  runAs?: 'consumer' | 'provider';
  cleanrooms: string[];
  arguments: Record<string, unknown>;
}

export interface Profile {
  api?: 'legacy' | 'collaboration';
  cleanrooms?: Record<string, { provider?: SidePolicies; consumer?: SidePolicies; templates?: string[] }>;
  analyses?: Record<string, ProfileAnalysis>;
}

export function parseProfile(text: string, shown: string): Profile {
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { allowTrailingComma: true }) as unknown;
  if (errors.length || !value || typeof value !== 'object' || Array.isArray(value))
    throw new GatewayError('config', `${shown} is not a valid cleanrooms.json profile (a JSON object)`);
  return value as Profile;
}

/** The template name is the template file's base name unless templateName is set (as the schema says). */
export function templateNameOf(fileOrName: string): string {
  return basename(fileOrName).replace(/\.(jinjasql|jinja\.sql|sql\.j2|sql\.jinja|sql|ya?ml)$/i, '');
}

export function analysisInput(profile: Profile, name: string, shown: string): AnalysisInput & { runAs: Side; template: string } {
  const a = profile.analyses?.[name];
  if (!a) {
    const known = Object.keys(profile.analyses ?? {});
    throw new GatewayError('config', `no analysis '${name}' in ${shown}${known.length ? ` (known: ${known.join(', ')})` : ''}`);
  }
  if (!Array.isArray(a.cleanrooms) || !a.cleanrooms.length) throw new GatewayError('config', `analysis '${name}' in ${shown} names no clean rooms`);
  return {
    cleanrooms: a.cleanrooms.map(String),
    templateName: a.templateName ?? templateNameOf(a.template),
    arguments: a.arguments ?? {},
    runAs: a.runAs === 'provider' ? 'provider' : 'consumer',
    template: a.template,
  };
}

export function sidePolicies(profile: Profile, cleanroom: string, side: Side, shown: string): SidePolicies {
  const room = profile.cleanrooms?.[cleanroom];
  if (!room) throw new GatewayError('config', `no clean room '${cleanroom}' in ${shown}`);
  return room[side] ?? {};
}
