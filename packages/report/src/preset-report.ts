import type { Preset } from '@overparam/experiments';
import type { Reproduction } from '@overparam/experiments/node';
import { join } from 'node:path';
import { presetReportContent } from './preset-content';
import { writeReport, type WrittenReport } from './write-report';

/** Where the report goes inside a reproduction directory. */
export const PRESET_REPORT_DIR = 'report';

/**
 * The report of a reproduced preset (`overparam reproduce`): the figures the preset names (those its
 * criteria point at) from every sweep directory, one section per sweep, under the preset's claim,
 * criteria and protocol, written to `<outDir>/report/`.
 */
export async function reportPreset(preset: Preset, reproduction: Pick<Reproduction, 'scale' | 'outDir' | 'sweepDirs' | 'criteria'>, options: { readonly png?: boolean } = {}): Promise<WrittenReport> {
  const content = presetReportContent(preset, reproduction.scale, reproduction.criteria);
  return writeReport(
    reproduction.sweepDirs.map((s) => s.dir),
    { out: join(reproduction.outDir, PRESET_REPORT_DIR), ...content, figures: preset.figures, ...(options.png !== undefined ? { png: options.png } : {}) },
  );
}
