/**
 * The one door into the engine. The language server, the CLI, the VS Code client, the
 * Snowflake gateway, the benchmarks and every test outside test/unit import core from here
 * and nowhere else (test/architecture checks it), so what core promises is this list.
 */

// Documents: parse once per version, then analyse (all rules) or run editor features.
export { parseDocument, analyzeDocument, applySeverities, type AnalyzeOptions, type DocumentInput, type DocumentModel, type ParsedRegion } from './analyze.js';
export { detectKind, extractTemplates, type DocumentKind, type TemplateRegion } from './sources/regions.js';
export {
  fileKindOf,
  isTemplateFile,
  templateBaseName,
  TEMPLATE_EXTENSIONS,
  WORKSHEET_EXTENSIONS,
  SPEC_EXTENSIONS,
  type FileKind,
} from './sources/fileKinds.js';
export { sortFindings, SEVERITY_ORDER, type Finding, type Severity } from './findings.js';

// Settings shared by the editor and the CLI.
export {
  effectiveApi,
  normalizeSettings,
  settingsFromVscodeJson,
  isSeverityOverride,
  DEFAULT_SETTINGS,
  SETTINGS_SECTION,
  type Api,
  type Settings,
  type SeverityOverride,
} from './settings.js';

// Rules: the catalog of codes and their docs.
export { RULES, ruleInfo, type RuleCode, type RuleInfo } from './rules/catalog.js';
export { ruleDocsUrl, RULE_DOCS_BASE_URL } from './rules/docs.js';

// Profiles (cleanrooms.json): discovery, parsing, the analyses that run a template, and checks.
export {
  PROFILE_FILE_NAME,
  ProfileLocator,
  nearestProfile,
  ancestorDirs,
  isProfilePath,
  pathFromProfile,
  profilePathIn,
  type ProfileProbe,
} from './profile/discover.js';
export { parseProfile } from './profile/parse.js';
export { profileUnreadable, readProfileJson } from './profile/json.js';
export { analyzeProfileDocument, type ProfileDocumentOptions } from './profile/document.js';
export { analysesForTemplate, renderAnalysis, splitRoomPrefix } from './profile/analyses.js';
export type { AnalysisRender, AnalysisRenders, Profile, ProfileAnalysis, ProfileCleanRoom, ProfileSide } from './profile/types.js';

// Rendering: JinjaSQL as the clean room renders it, and the renders of a template for a preview or `dcr render`.
export {
  renderString,
  sqlLiteral,
  segmentAt,
  parse,
  parseArguments,
  toJs,
  fromJs,
  repr,
  str,
  type RenderOptions,
  type RenderOutcome,
  type RenderError,
  type ParseResult,
} from './jinja/index.js';
export { PyDict, PyFloat, type PyValue } from './jinja/runtime/values.js';
export { DEFAULT_LIMITS } from './jinja/runtime/budget.js';
export { renderTemplate, type ArgumentsInput, type RenderRequest, type RenderSection, type TemplateRenders } from './preview/renders.js';
export { buildPreview, RESTRICTED_MESSAGE, type ArgsFileInput, type PreviewInputs, type ProfileInput } from './preview/build.js';
export type { BindMode, PreviewChoice, PreviewResult, PreviewSection, PreviewSegment } from './preview/types.js';

// Analysis of rendered SQL and symbolic renders (the facts the rules judge).
export { checkSql, sqlRules, templateKind, SourceMap } from './rules/sqlChecks.js';
export { resolveAliases, resolveAlias } from './sql/aliases.js';
export { splitStatements, flattenStatements } from './sql/statements.js';
export { tokenizeSql } from './sql/places.js';
export { parseStatementSyntax } from './sql/syntax/parser.js';
export { SqlAliases } from './profile/aliases.js';
export { columnRefs, profileRules } from './rules/profileChecks.js';
export { renderSymbolic, freeVariables, inferShapes } from './jinja/symbolic.js';

// Migration of legacy clean rooms to the Collaboration API.
export { migrateProfile } from './migrate/migrate.js';
export { migrateTemplateText, specWithNotes } from './migrate/template.js';
export { checkSpec } from './migrate/specs.js';
export type {
  MigrateInput,
  MigrateResult,
  MigrationReport,
  OutputFile,
  Change,
  Decision,
  RenderComparison,
  TemplateOutcome,
  AnalysisOutcome,
} from './migrate/types.js';

// Editor features over a document model.
export { doHover, doComplete, findDocumentSymbols, findDefinition, findReferences, quickFixesOf } from './features/index.js';
export { doProfileComplete, doProfileHover } from './features/profileAssist.js';
export type {
  HoverResult,
  CompletionEntry,
  CompletionKind,
  CompletionResult,
  DocumentSymbolData,
  SymbolKind,
  QuickFix,
  QuickFixEdit,
  FeatureOptions,
} from './features/index.js';

// Text positions.
export { LineIndex, type Position } from './text/lineIndex.js';
export type { Span } from './text/span.js';
export type { Fix, FixEdit } from './rules/finding.js';
