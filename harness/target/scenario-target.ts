import { HarnessError } from '../errors.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import type { TargetConfig } from '../model/target-config.ts';
import { checkMintable } from '../tokens/mint-token.ts';

/**
 * Returns the target config a scenario runs with: `jwt.algorithm` replaced by the scenario's
 * `setup.jwtAlgorithm`. Throws WUC_ERR_TARGET_CONFIG_INVALID, naming the scenario and the
 * missing field, when the config cannot sign that algorithm, cannot tell the target about it,
 * or cannot mint one of the scenario's token classes.
 */
export function targetForScenario(target: TargetConfig, scenario: ScenarioDefinition): TargetConfig {
  const algorithm = scenario.setup?.jwtAlgorithm ?? target.jwt.algorithm;
  if (algorithm !== target.jwt.algorithm && target.settingsEnv.jwtAlgorithms === null) {
    throw new HarnessError(
      'WUC_ERR_TARGET_CONFIG_INVALID',
      `Scenario "${scenario.name}" runs target "${target.name}" with ${algorithm} tokens, but the target ` +
        'config has no settingsEnv.jwtAlgorithms; name the environment variable the target reads its ' +
        'accepted JWT algorithms from (the reference server uses JWT_ALGORITHMS)',
    );
  }
  const effective: TargetConfig = { ...target, jwt: { ...target.jwt, algorithm } };

  try {
    // A `valid` token needs only the signing key, so this checks the key even for a timeline without opens.
    checkMintable('valid', effective);
    for (const step of scenario.timeline) {
      if (step.action === 'open') checkMintable(step.tokenClass, effective);
    }
  } catch (err) {
    if (!(err instanceof HarnessError)) throw err;
    throw new HarnessError(err.code, `Scenario "${scenario.name}": ${err.message}`, { cause: err });
  }
  return effective;
}

/**
 * Builds the JWT variables the harness passes to every target: JWT_SECRET, JWT_ISSUER and
 * JWT_AUDIENCE, JWT_PUBLIC_KEY (PEM) when tokens are RS256, and the algorithm under the name in
 * `settingsEnv.jwtAlgorithms` when the config gives one. The private key is never passed.
 */
export function jwtEnvironment(target: TargetConfig): Record<string, string> {
  const env: Record<string, string> = {
    JWT_SECRET: target.jwt.secret,
    JWT_ISSUER: target.jwt.issuer,
    JWT_AUDIENCE: target.jwt.audience,
  };
  if (target.jwt.algorithm === 'RS256' && target.jwt.publicKey !== null) env.JWT_PUBLIC_KEY = target.jwt.publicKey;
  if (target.settingsEnv.jwtAlgorithms !== null) env[target.settingsEnv.jwtAlgorithms] = target.jwt.algorithm;
  return env;
}
