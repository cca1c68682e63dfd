import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Files that index.html inlines so that it opens from disk with no network. */
export interface ReportAssets {
  /** Chart.js UMD build (MIT licence), which defines the global `Chart`. */
  chartJs: string;
  css: string;
  /** The report's own script, which draws the charts from the embedded JSON. */
  client: string;
}

const ASSETS_DIR = fileURLToPath(new URL('./assets/', import.meta.url));
let cached: ReportAssets | null = null;

/** Reads the assets once per process; Chart.js comes from node_modules at render time. */
export function loadReportAssets(): ReportAssets {
  if (cached !== null) return cached;
  const require = createRequire(import.meta.url);
  // The package's exports map names only its module builds; the UMD file sits beside them.
  const chartDir = path.dirname(require.resolve('chart.js'));
  cached = {
    chartJs: toInlineScript(readFileSync(path.join(chartDir, 'chart.umd.min.js'), 'utf8')),
    css: readFileSync(path.join(ASSETS_DIR, 'report.css'), 'utf8'),
    client: toInlineScript(readFileSync(path.join(ASSETS_DIR, 'report-client.js'), 'utf8')),
  };
  return cached;
}

/**
 * Prepares a script for a `<script>` element: drops the source map comment, whose file would be
 * missing next to the report, and breaks any `</script` or `<!--`, which would end or change the
 * element. Both sequences can only occur inside string literals, where `<\/` means the same.
 */
function toInlineScript(source: string): string {
  return source
    .replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n')
    .replace(/<\/(script)/gi, '<\\/$1')
    .replace(/<!--/g, '<\\!--');
}
