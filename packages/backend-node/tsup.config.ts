import { packageBuild } from '../../tsup.config.base';

// `setup` runs child processes and touches the file system: a Node-only entry of its own.
export default packageBuild({ index: 'src/index.ts', setup: 'src/setup.ts' }, { platform: 'node' });
