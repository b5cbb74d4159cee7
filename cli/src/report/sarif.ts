/** `--format sarif`: SARIF 2.1.0 for code-scanning uploads (GitHub, Azure DevOps). */
import { pathToFileURL } from 'node:url';
import type { Severity } from '../../../core/src/index.js';
import { ruleDocsUrl } from '../../../core/src/index.js';
import type { CheckResult } from './model.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function formatSarif(result: CheckResult, toolVersion: string, cwd: string): string {
  const codes = [...new Set(result.files.flatMap(f => f.diagnostics.map(d => d.code)))].sort();
  const index = new Map(codes.map((c, i) => [c, i]));
  const results = result.files.flatMap(f =>
    f.diagnostics.map(d => ({
      ruleId: d.code,
      ruleIndex: index.get(d.code)!,
      level: LEVEL[d.severity],
      message: { text: d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifact(f.path),
            region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
          },
        },
      ],
    })),
  );
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dcr',
            version: toolVersion,
            informationUri: 'https://github.com/clean-room-templates/clean-room-templates',
            rules: codes.map(id => ({ id, helpUri: ruleDocsUrl(id) })),
          },
        },
        // Our columns are UTF-16 code units (as LSP); say so rather than rely on the default.
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(cwd.endsWith('/') ? cwd : cwd + '/').href } },
        results,
        // How many templates each file held: a file with none was not checked, whatever its results say.
        artifacts: result.files.filter(f => f.templates !== undefined).map(f => ({ location: artifact(f.path), properties: { templates: f.templates } })),
        properties: { templates: result.summary.templates, filesWithoutTemplates: result.summary.filesWithoutTemplates },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function artifact(path: string): { uri: string; uriBaseId?: string } {
  if (path.startsWith('/')) return { uri: pathToFileURL(path).href };
  return { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
}
