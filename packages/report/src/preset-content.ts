import { presetProtocol, type CriterionResult, type Preset, type PresetProtocol, type PresetScale, type SettingNames } from '@overparam/experiments';

/** What a preset's report shows around its figures: title, intro, the criteria as judged, the protocol. */
export interface PresetReportContent {
  readonly title: string;
  readonly intro: readonly string[];
  readonly criteria: readonly CriterionResult[];
  readonly protocol: PresetProtocol;
  /** The preset's words for its swept values, for the legends. */
  readonly settingNames: readonly SettingNames[];
}

/**
 * A preset's report content at one scale, from its criteria as evaluated: the claim, its source,
 * what the scale changed and how to read the figures. Browser-safe, so the playground can show a
 * preset's report as `overparam reproduce` writes it.
 */
export function presetReportContent(preset: Preset, scale: PresetScale, criteria: readonly CriterionResult[]): PresetReportContent {
  return {
    title: `${preset.id} (${scale}): ${preset.claim}`,
    intro: [`Claim: ${preset.claim} Source: ${preset.source}.`, `Scale '${scale}': ${preset.scales[scale].scaledDown}`, `How to read it: ${preset.reading}`],
    criteria,
    protocol: presetProtocol(preset, scale),
    settingNames: preset.settingNames ?? [],
  };
}
