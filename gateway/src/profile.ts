/** The parts of cleanrooms.json (schemas/cleanrooms.schema.json) the Snowflake commands use: analyses and policies. */
import { readProfileJson, templateBaseName } from '../../core/src/index.js';
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

/** The profile as JSON, read by core's profile rules (one owner); unreadable is a configuration error with its place. */
export function parseProfile(text: string, shown: string): Profile {
  const read = readProfileJson(text, shown);
  if ('problem' in read) throw new GatewayError('config', read.problem);
  return read.json as Profile;
}

/** The template name is the template file's base name unless templateName is set (as the schema says). */
export function templateNameOf(fileOrName: string): string {
  return templateBaseName(fileOrName);
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
