import packageJson from '../package.json' with { type: 'json' };

/** The station's version: package.json's, the one number a release changes. */
export const APP_VERSION: string = packageJson.version;
