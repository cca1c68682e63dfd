import type { TargetConfigInput } from '../model/target-config.ts';

/**
 * Returns `input` unchanged. A `*.ts` target config calls it on its default export so the editor
 * checks field names and types; the harness validates the values when it loads the file.
 */
export function defineTarget(input: TargetConfigInput): TargetConfigInput {
  return input;
}
