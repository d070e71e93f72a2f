import { asSetting, settingLabel, type SettingValue } from '@overparam/experiments';

/** A grid point of a learning-rate search as the figures' legends name settings (`depth=4, width=64`). */
export function gridPointLabel(point: Readonly<Record<string, unknown>>): string {
  const shown: Record<string, SettingValue> = {};
  for (const [key, value] of Object.entries(point)) shown[key] = asSetting(value) ?? 'null';
  return settingLabel(shown, 'every run (no other swept key)');
}
