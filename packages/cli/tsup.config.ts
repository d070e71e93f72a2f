import { packageBuild } from '../../tsup.config.base';

// `main` is what bin/overparam.js runs; `index` exports `runCli` for programs and tests.
export default packageBuild({ index: 'src/index.ts', main: 'src/main.ts' }, { platform: 'node' });
